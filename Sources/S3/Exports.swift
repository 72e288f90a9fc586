// The S3 API takes and returns AWSSigV4 types (AWSCredentials, AWSTimestamp), so users of S3 see them
// without a second import.
@_exported import AWSSigV4
