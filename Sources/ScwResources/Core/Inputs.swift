// Inputs: typed reads of a resource's resolved inputs, with errors that name the prop.

import ScwCore

struct Inputs {
    let values: [String: Value]
    let address: ResourceAddress

    init(_ values: [String: Value], _ address: ResourceAddress) {
        self.values = values
        self.address = address
    }

    func string(_ key: String) -> String? { values[key]?.stringValue }

    func requireString(_ key: String) throws -> String {
        guard let s = string(key) else { throw Diagnostic("\(key) is required", at: .resource(address)) }
        return s
    }

    func bool(_ key: String) -> Bool? { values[key]?.boolValue }

    func strings(_ key: String) -> [String]? {
        guard let list = values[key]?.listValue else { return nil }
        return list.compactMap(\.stringValue)
    }

    func isSet(_ key: String) -> Bool {
        guard let v = values[key] else { return false }
        return !v.isNull
    }
}
