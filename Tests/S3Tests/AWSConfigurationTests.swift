import S3
import Testing
import WIBLSystem
import WIBLTestSupport

/// Writes files into a fresh temporary folder and removes them afterwards.
func withTemporaryFiles<T>(_ files: [String: String], _ body: (String) throws -> T) throws -> T {
    let folder = try FileSystem.makeTemporaryFolder(prefix: "wibl-aws-config")
    defer { FileSystem.removeTree(folder) }
    for (name, text) in files { try writeFile(folder + "/" + name, Array(text.utf8)) }
    return try body(folder)
}

@Suite struct AWSConfigurationTests {
    static let credentialsFile = """
        # comment
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = secret/with+chars#notacomment

        [survey]
        aws_access_key_id=AKIDSURVEY
        aws_secret_access_key=surveysecret ; inline comment
        aws_session_token = surveytoken

        [broken]
        aws_access_key_id = AKIDBROKEN
        """
    static let configFile = """
        [default]
        region = us-west-1
        [profile survey]
        region = us-east-2
        s3 =
          addressing_style = path
        """

    func resolver(_ folder: String, _ extra: [String: String] = [:], profile: String? = nil) -> AWSConfigurationResolver
    {
        var env = [
            "AWS_SHARED_CREDENTIALS_FILE": folder + "/credentials", "AWS_CONFIG_FILE": folder + "/config",
            "HOME": "/nonexistent",
        ]
        env.merge(extra) { $1 }
        return AWSConfigurationResolver(environment: env, profile: profile)
    }

    @Test func environmentWinsOverProfileFile() throws {
        try withTemporaryFiles(["credentials": Self.credentialsFile]) { (folder: String) throws in
            let r = resolver(
                folder,
                ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "envsecret", "AWS_SESSION_TOKEN": "envtoken"])
            let resolved = try r.resolveCredentials()
            #expect(
                resolved.credentials
                    == AWSCredentials(accessKeyID: "AKIDENV", secretAccessKey: "envsecret", sessionToken: "envtoken"))
            #expect(resolved.source == "environment")
        }
    }

    @Test func explicitWinsOverEverything() throws {
        let explicit = AWSCredentials(accessKeyID: "A", secretAccessKey: "B")
        let r = AWSConfigurationResolver(environment: ["AWS_ACCESS_KEY_ID": "X", "AWS_SECRET_ACCESS_KEY": "Y"])
        #expect(try r.resolveCredentials(explicit: explicit).credentials == explicit)
    }

    @Test func defaultProfileFromSharedFile() throws {
        try withTemporaryFiles(["credentials": Self.credentialsFile, "config": Self.configFile]) {
            (folder: String) throws in
            let r = resolver(folder)
            let resolved = try r.resolveCredentials()
            #expect(
                resolved.credentials
                    == AWSCredentials(accessKeyID: "AKIDDEFAULT", secretAccessKey: "secret/with+chars#notacomment"))
            #expect(resolved.source == "profile default in \(folder)/credentials")
            #expect(try r.region() == "us-west-1")
        }
    }

    @Test func namedProfileFromOptionOutranksEnvironment() throws {
        try withTemporaryFiles(["credentials": Self.credentialsFile, "config": Self.configFile]) {
            (folder: String) throws in
            let r = resolver(
                folder, ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "envsecret"], profile: "survey")
            #expect(
                try r.resolveCredentials().credentials
                    == AWSCredentials(
                        accessKeyID: "AKIDSURVEY", secretAccessKey: "surveysecret", sessionToken: "surveytoken"))
            #expect(try r.region() == "us-east-2")
        }
    }

    @Test func profileFromAWSProfile() throws {
        try withTemporaryFiles(["credentials": Self.credentialsFile, "config": Self.configFile]) {
            (folder: String) throws in
            let r = resolver(folder, ["AWS_PROFILE": "survey"])
            #expect(r.profileName == "survey")
            #expect(try r.resolveCredentials().credentials.accessKeyID == "AKIDSURVEY")
        }
    }

    @Test func credentialsInConfigFileProfile() throws {
        try withTemporaryFiles([
            "config": "[profile lab]\naws_access_key_id = AKIDLAB\naws_secret_access_key = labsecret\n"
        ]) { (folder: String) throws in
            #expect(try resolver(folder, profile: "lab").resolveCredentials().credentials.accessKeyID == "AKIDLAB")
        }
    }

    @Test func errors() throws {
        try withTemporaryFiles(["credentials": Self.credentialsFile]) { (folder: String) throws in
            #expect(
                throws: AWSConfigurationError.profileNotFound(
                    profile: "nope", files: [folder + "/credentials", folder + "/config"])
            ) {
                try resolver(folder, profile: "nope").resolveCredentials()
            }
            #expect(
                throws: AWSConfigurationError.incompleteProfile(
                    profile: "broken", file: folder + "/credentials", missing: "aws_secret_access_key")
            ) {
                try resolver(folder, profile: "broken").resolveCredentials()
            }
            #expect(throws: AWSConfigurationError.incompleteEnvironment(missing: "AWS_SECRET_ACCESS_KEY")) {
                try resolver(folder, ["AWS_ACCESS_KEY_ID": "AKID"]).resolveCredentials()
            }
        }
        let none = AWSConfigurationResolver(environment: ["HOME": "/nonexistent"])
        let error = #expect(throws: AWSConfigurationError.self) { try none.resolveCredentials() }
        #expect(error.map { "\($0)" }?.hasPrefix("no AWS credentials found (looked in: environment variables") == true)
        #expect(error.map { "\($0)" }?.contains("/nonexistent/.aws/credentials") == true)
    }

    @Test func regionOrder() throws {
        #expect(try AWSConfigurationResolver(environment: ["HOME": "/nonexistent"]).region() == "us-east-1")
        let env = ["HOME": "/nonexistent", "AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-2"]
        #expect(try AWSConfigurationResolver(environment: env).region() == "eu-west-1")
        #expect(try AWSConfigurationResolver(environment: env).region(option: "ap-south-1") == "ap-south-1")
        #expect(
            try AWSConfigurationResolver(environment: ["HOME": "/nonexistent", "AWS_DEFAULT_REGION": "eu-west-2"])
                .region() == "eu-west-2")
    }

    @Test func endpointOrderAndParsing() throws {
        let env = ["AWS_ENDPOINT_URL": "http://general:1", "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9000"]
        let r = AWSConfigurationResolver(environment: env)
        #expect(try r.endpoint(region: "us-east-2").description == "http://127.0.0.1:9000")
        #expect(try r.endpoint(option: "https://minio.local/s3/", region: "x").description == "https://minio.local/s3")
        #expect(
            try AWSConfigurationResolver(environment: ["AWS_ENDPOINT_URL": "http://general:1"]).endpoint(region: "x")
                .hostHeader == "general:1")
        #expect(
            try AWSConfigurationResolver(environment: [:]).endpoint(region: "us-east-2").description
                == "https://s3.us-east-2.amazonaws.com")
        #expect(try S3Endpoint(url: "http://localhost:80").hostHeader == "localhost")
        #expect(try S3Endpoint(url: "https://h:8443").hostHeader == "h:8443")
        #expect(try S3Endpoint(url: "http://[::1]:9000").hostHeader == "[::1]:9000")
        for bad in [
            "ftp://x", "127.0.0.1:9000", "http://", "http://h:0", "http://h:99999", "http://h:x", "http://u@h",
            "http://h/?q",
        ] {
            #expect(throws: AWSConfigurationError.self, "\(bad)") { _ = try S3Endpoint(url: bad) }
        }
    }

    @Test func iniParsing() {
        let file = INIFile(text: "[a]\r\nk = v\r\n  nested = x\n[ b ]\nk2=v2 # c\n; x\nk3 =\n")
        #expect(file.sections["a"] == ["k": "v"])
        #expect(file.sections["b"] == ["k2": "v2", "k3": ""])
    }
}
