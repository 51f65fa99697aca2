// JSONText: stack outputs as JSON for embedders, secrets shown as "(sensitive)".

import ScwCore

/// Values as JSON text, for embedders writing outputs to files or logs.
public enum JSONText {
    /// Sorted keys; secrets as "(sensitive)", values not yet known as "(known after apply)".
    public static func encode(_ values: [String: Value], pretty: Bool = true) -> String {
        JSON.encode(.map(values), pretty: pretty)
    }

    /// Parses JSON text (objects become `.map`, arrays `.list`, numbers `.int` or `.double`).
    public static func decode(_ text: String) throws -> Value { try JSON.decode(text) }
}
