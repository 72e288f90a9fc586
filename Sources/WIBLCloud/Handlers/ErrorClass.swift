/// An error that knows its short class name, used in tags (`WIBL-Error`) and summaries.
public protocol ClassifiedError: Error {
    /// A short, tag-safe class name such as `NoTimeSource` or `NoSuchKey`.
    var errorClass: String { get }
}

/// The short class of any error: its own ``ClassifiedError/errorClass``, else the type's name.
public func errorClass(of error: any Error) -> String {
    if let classified = error as? any ClassifiedError { return classified.errorClass }
    return String(describing: type(of: error))
}
