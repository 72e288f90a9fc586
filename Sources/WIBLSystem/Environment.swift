/// The process environment, without Foundation (the `bootstrap` must not link it).
public enum Environment {
    /// The value of the variable `name`, or `nil` when it is not set.
    @Sendable public static func get(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    /// The value of the variable `name`, or `nil` when it is not set or empty.
    @Sendable public static func nonEmpty(_ name: String) -> String? {
        guard let value = get(name), !value.isEmpty else { return nil }
        return value
    }

    /// Sets (or, with `nil`, removes) the variable `name` for this process.
    public static func set(_ name: String, _ value: String?) {
        if let value {
            setenv(name, value, 1)
        } else {
            unsetenv(name)
        }
    }

    /// Every variable of the process, as a dictionary.
    public static func all() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}
