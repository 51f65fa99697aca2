// Quotas: per-project limits on how many resources of a kind may exist (EmulatorOptions.quotas),
// checked before each create. Names: instances, ips, volumes, security_groups, block_volumes.

struct Quotas: Sendable {
    /// The quota names understood, and the record kind each one counts.
    static let kinds: [String: String] = [
        "instances": InstanceService.serverKind, "ips": InstanceService.ipKind, "volumes": InstanceService.volumeKind,
        "security_groups": InstanceService.securityGroupKind, "block_volumes": BlockService.volumeKind,
    ]

    let limits: [String: Int]

    /// Throws when creating `adding` more resources counted by quota `name` in `project` would
    /// pass its limit: the Instance API's legacy 403 body, or `quotas_exceeded` for the Block API.
    func check(_ name: String, project: String, in state: CloudState, adding: Int = 1, legacy: Bool = true) throws {
        guard let limit = limits[name], let kind = Quotas.kinds[name] else { return }
        let current = state.list(kind).filter { $0.projectID == project }.count
        guard current + adding > limit else { return }
        throw legacy ? APIError.instanceQuotaExceeded(name) : APIError.quotasExceeded(name, quota: limit, current: current)
    }
}
