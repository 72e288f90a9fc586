import AWSSigV4
import Testing

@Suite struct AWSCredentialsTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let token = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN"

    @Test func descriptionRedactsSecretAndToken() {
        let credentials = AWSCredentials(
            accessKeyID: "ASIAEXAMPLE", secretAccessKey: Self.secret, sessionToken: Self.token)
        for text in [
            credentials.description, credentials.debugDescription, "\(credentials)", String(reflecting: credentials),
        ] {
            #expect(!text.contains(Self.secret))
            #expect(!text.contains(Self.token))
            #expect(text.contains("ASIAEXAMPLE"))
            #expect(text.contains("<redacted>"))
        }
        #expect(
            credentials.description
                == "AWSCredentials(accessKeyID: ASIAEXAMPLE, secretAccessKey: <redacted>, sessionToken: <redacted>)")
    }

    @Test func descriptionWithoutToken() {
        let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: Self.secret)
        #expect(credentials.description == "AWSCredentials(accessKeyID: AKIDEXAMPLE, secretAccessKey: <redacted>)")
    }
}

@Suite struct AWSTimestampTests {
    @Test(arguments: [
        (Int64(0), "19700101T000000Z"),
        (Int64(1_440_938_160), "20150830T123600Z"),  // the SigV4 suite's time
        (Int64(1_369_353_600), "20130524T000000Z"),  // the S3 documentation examples
        (Int64(951_782_400), "20000229T000000Z"),  // leap day of a 400-year leap year
        (Int64(4_107_542_399), "21000228T235959Z"),  // 2100 is not a leap year
        (Int64(4_107_542_400), "21000301T000000Z"),
        (Int64(1_709_251_199), "20240229T235959Z"),
        (Int64(253_402_300_799), "99991231T235959Z"),
        (Int64(-1), "19691231T235959Z"),
    ])
    func formatsAndParses(seconds: Int64, text: String) {
        let timestamp = AWSTimestamp(secondsSince1970: seconds)
        #expect(timestamp.amzDate == text)
        #expect(timestamp.dateStamp == String(text.prefix(8)))
        if seconds >= 0 { #expect(AWSTimestamp(amzDate: text) == timestamp) }
    }

    @Test(arguments: [
        "", "20150830T123600", "20150230T000000Z", "20151301T000000Z", "2015083OT123600Z",
        "20150830T246000Z", "20150830 123600Z",
    ])
    func rejectsMalformed(_ text: String) {
        #expect(AWSTimestamp(amzDate: text) == nil)
    }

    @Test func nowIsAfter2024() {
        #expect(AWSTimestamp.now().secondsSince1970 > 1_704_067_200)
    }
}

@Suite struct URIEncodingTests {
    @Test func encodesPerSigV4() {
        #expect(URIEncoding.encode("a b+c/d%e~f", keepSlash: true) == "a%20b%2Bc/d%25e~f")
        #expect(URIEncoding.encode("a b+c/d", keepSlash: false) == "a%20b%2Bc%2Fd")
        #expect(URIEncoding.encode("日本") == "%E6%97%A5%E6%9C%AC")
    }

    @Test func decodesOnce() {
        #expect(URIEncoding.decode("%2541+%E1%88%B4%zz%4") == "%41+ሴ%zz%4")
    }

    @Test func trimAllCollapsesRuns() {
        #expect(SigV4.trimAll("  converted   by  wibl  ") == "converted by wibl")
    }
}
