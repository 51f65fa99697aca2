// RdbInstance checks made before any write. Without the network (normalize): the password
// policy, user and password together, volume size with its type, backup bounds, the private
// network's address mode. Against the region's catalogue (validate, at plan time and again
// before the create): engine and version, node type, volume bounds, HA, settings.

import ScalewayAPI
import ScwCore
import ScwEngine

extension RdbShared {
    /// The API's password policy, checked before any write; nil when `password` satisfies it.
    /// The message never quotes the password.
    static func passwordProblem(_ password: String) -> String? {
        let ok = (8...128).contains(password.count)
            && password.contains(where: \.isNumber)
            && password.contains(where: \.isUppercase)
            && password.contains(where: \.isLowercase)
            && password.contains(where: { !$0.isLetter && !$0.isNumber })
        return ok ? nil : "the password does not meet the API's policy: 8 to 128 characters with at least one digit, one upper case letter, one lower case letter and one special character"
    }
}

extension RdbInstanceResource {
    /// Checks that need no call.
    static func checkStatically(_ inputs: [String: Value], context: ProviderContext) throws {
        func fail(_ message: String, hint: String? = nil) -> Diagnostic { Diagnostic(message, at: .resource(context.address), hint: hint) }
        let user = inputs["user_name"]
        let password = inputs["password"]
        let hasUser = user != nil && user != .null
        let hasPassword = password != nil && password != .null
        if hasUser != hasPassword {
            throw fail("user_name and password go together: give both or neither")
        }
        if let text = RdbShared.plainString(inputs, "password"), let problem = RdbShared.passwordProblem(text) {
            throw fail("password: \(problem)")
        }
        let type = inputs["volume_type"]?.stringValue ?? "lssd"
        let size = inputs["volume_size_in_gb"]?.intValue
        if type == "lssd", size != nil, inputs["volume_size_in_gb"] != .null {
            throw fail("volume_size_in_gb cannot be set with volume_type lssd (its size follows the node type)", hint: "use volume_type = \"sbs_5k\" for a volume of your size")
        }
        if type != "lssd", inputs["volume_size_in_gb"] == nil || inputs["volume_size_in_gb"] == .null {
            throw fail("volume_size_in_gb is required with volume_type \(type)")
        }
        if let frequency = inputs["backup_schedule_frequency"]?.intValue, !(1...24).contains(frequency) {
            throw fail("backup_schedule_frequency must be between 1 and 24 hours, got \(frequency)")
        }
        if let retention = inputs["backup_schedule_retention"]?.intValue, !(1...365).contains(retention) {
            throw fail("backup_schedule_retention must be between 1 and 365 days, got \(retention)")
        }
        if let pn = inputs["private_network"], pn != .null, let ipNet = pn["ip_net"]?.stringValue {
            if pn["enable_ipam"]?.boolValue == true {
                throw fail("private_network: give ip_net (a static address) or enable_ipam = true, not both")
            }
            let parts = ipNet.split(separator: "/")
            let network = parts.count == 2 && Int(parts[1]) != nil ? "\(parts[0])/32" : ""
            if (try? CIDR(parsing: network)) == nil || ipNet.contains(":") {
                throw fail("private_network.ip_net must be an IPv4 address with the network's prefix length, e.g. 10.20.0.5/24, got '\(ipNet)'")
            }
        }
    }

    /// Plan-time checks against the region's catalogue; only what is known is checked.
    public func validate(_ inputs: [String: Value], context: ProviderContext) async throws {
        guard let region = inputs["region"]?.stringValue else { return }
        func fail(_ message: String, hint: String? = nil) -> Diagnostic { Diagnostic(message, at: .resource(context.address), hint: hint) }
        if let engineName = inputs["engine"]?.stringValue {
            let engines = try await RdbCatalogue.shared.engines(region: region, api: api)
            let versions = engines.flatMap(\.versions)
            guard let version = versions.first(where: { $0.name.lowercased() == engineName.lowercased() }) else {
                let offered = versions.filter { !$0.disabled }.map(\.name)
                throw fail("unknown engine '\(engineName)' in \(region)",
                           hint: Suggest.closest(to: engineName, in: offered).map { "did you mean '\($0)'?" } ?? "available: \(offered.joined(separator: ", "))")
            }
            if version.disabled {
                let newer = versions.filter { !$0.disabled && $0.name.hasPrefix(engineName.split(separator: "-").first.map(String.init) ?? "") }.map(\.name)
                throw fail("engine \(version.name) is no longer offered (end of life \(version.endOfLife ?? "passed"))",
                           hint: newer.isEmpty ? nil : "available: \(newer.joined(separator: ", "))")
            }
            try checkSettings(inputs["settings"], against: version.availableSettings, prop: "settings", engine: version.name, context: context)
            try checkSettings(inputs["init_settings"], against: version.availableInitSettings, prop: "init_settings", engine: version.name, context: context)
        }
        if let nodeName = inputs["node_type"]?.stringValue {
            let nodes = try await RdbCatalogue.shared.nodeTypes(region: region, api: api)
            guard let node = nodes.first(where: { $0.name.lowercased() == nodeName.lowercased() }), !node.disabled else {
                let names = nodes.filter { !$0.disabled }.map { $0.name.uppercased() }
                throw fail("unknown node type '\(nodeName.uppercased())' in \(region)",
                           hint: Suggest.closest(to: nodeName.uppercased(), in: names).map { "did you mean '\($0)'?" } ?? "node types: \(names.joined(separator: ", "))")
            }
            if inputs["is_ha_cluster"]?.boolValue == true, !node.allowsHA {
                throw fail("node type \(node.name.uppercased()) does not allow a high-availability cluster (is_ha_cluster = true)",
                           hint: "choose a DEV, GP or PRO2 node type, or set is_ha_cluster = false")
            }
            if let type = inputs["volume_type"]?.stringValue {
                guard let spec = node.volumeTypes.first(where: { $0.type == type }) else {
                    throw fail("node type \(node.name.uppercased()) does not take volume_type \(type)",
                               hint: "it takes: \(node.volumeTypes.map(\.type).joined(separator: ", "))")
                }
                if type != "lssd", let gb = inputs["volume_size_in_gb"]?.intValue {
                    let bytes = gb * RdbShared.gb
                    if bytes < spec.minSize || (spec.maxSize > 0 && bytes > spec.maxSize) {
                        throw fail("volume_size_in_gb \(gb) is out of bounds for \(type) on \(node.name.uppercased()): \(spec.minSize / RdbShared.gb) to \(spec.maxSize / RdbShared.gb) GB")
                    }
                }
            }
        }
    }

    private func checkSettings(_ value: Value?, against available: [RDBEngine.Setting], prop: String, engine: String, context: ProviderContext) throws {
        guard let map = value?.mapValue else { return }
        for key in map.keys.sorted() {
            guard let setting = available.first(where: { $0.name == key }) else {
                throw Diagnostic("\(prop): \(engine) has no setting '\(key)'", at: .resource(context.address),
                                 hint: Suggest.closest(to: key, in: available.map(\.name)).map { "did you mean '\($0)'?" })
            }
            if let text = map[key]?.stringValue, let problem = setting.problem(with: text) {
                throw Diagnostic("\(prop): \(problem)", at: .resource(context.address))
            }
        }
    }
}
