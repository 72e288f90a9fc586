import S3
import Testing

@Suite struct S3XMLTests {
    @Test func parsesAnErrorReply() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error>
              <Code>NoSuchKey</Code>
              <Message>The specified key does not exist.</Message>
              <Key>a &amp; b &lt;c&gt; &#x65E5;&#26412;</Key>
              <RequestId>4442587FB7D0A2F9</RequestId>
            </Error>
            """
        let root = try S3XML.parse(Array(xml.utf8))
        #expect(root.name == "Error")
        #expect(root.text(of: "Code") == "NoSuchKey")
        #expect(root.text(of: "Key") == "a & b <c> 日本")
        #expect(root.text(of: "RequestId") == "4442587FB7D0A2F9")
    }

    @Test func parsesListBucketResultWithNamespaceAndComments() throws {
        let xml = """
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><!-- moto order -->
              <IsTruncated>true</IsTruncated>
              <Contents><Key>2024/a b.wibl</Key><Size>5</Size><ETag>&quot;5d41&quot;</ETag></Contents>
              <Contents><Key><![CDATA[x<y]]></Key><Size>7</Size></Contents>
              <Name>wibl-incoming</Name><NextContinuationToken>tok/+=</NextContinuationToken>
              <CommonPrefixes><Prefix>2024/</Prefix></CommonPrefixes>
              <Empty/>
            </ListBucketResult>
            """
        let root = try S3XML.parse(Array(xml.utf8))
        #expect(root.children("Contents").map { $0.text(of: "Key") } == ["2024/a b.wibl", "x<y"])
        #expect(root.children("Contents").first?.text(of: "ETag") == "\"5d41\"")
        #expect(root.text(of: "NextContinuationToken") == "tok/+=")
        #expect(root.child("Empty")?.text == "")
        #expect(root.child("CommonPrefixes")?.text(of: "Prefix") == "2024/")
    }

    @Test(arguments: [
        "", "   ", "<a>", "<a></b>", "</a>", "<a/><b/>", "text", "<a>&bogus;</a>", "<a>&amp</a>",
        "<!DOCTYPE x [<!ENTITY e 'boom'>]><a>&e;</a>", "<a x=\"1>", "<!-- never closed", "<a><![CDATA[x</a>",
    ])
    func rejectsMalformed(_ text: String) {
        #expect(throws: XMLParseError.self) { _ = try S3XML.parse(Array(text.utf8)) }
    }

    @Test func rejectsDeepNesting() {
        let deep = String(repeating: "<a>", count: 100) + String(repeating: "</a>", count: 100)
        #expect(throws: XMLParseError.self) { _ = try S3XML.parse(Array(deep.utf8)) }
    }

    @Test func attributesWithAngleBracketsAreSkipped() throws {
        let root = try S3XML.parse(Array("<a b=\"x>y\" c='1'><d>v</d></a>".utf8))
        #expect(root.text(of: "d") == "v")
    }

    @Test func escapeRoundTrips() throws {
        let text = "a&b <c> \"d\" 'e' 日本"
        let root = try S3XML.parse(Array("<v>\(S3XML.escape(text))</v>".utf8))
        #expect(root.text == text)
    }
}
