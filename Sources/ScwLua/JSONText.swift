// JSONText: stack outputs as JSON for embedders, secrets shown as "(sensitive)".

import ScwCore

public enum JSONText {
    public static func encode(_ values: [String: Value], pretty: Bool = true) -> String {
        JSON.encode(.map(values), pretty: pretty)
    }
}
