// EmulatorOptions: the knobs an emulator starts with (port, latency, faults, speed, quotas, data
// file, request log). Faults can also be changed while it runs (Emulator.setFaults, PUT /__emulator/faults).

public struct EmulatorOptions: Sendable {
    /// 0 = any free port.
    public var port: Int = 0
    /// Added to every API request (not to /__emulator/ requests).
    public var latencyMs: Int = 0
    /// Fault rates drawn per API request.
    public var faults: FaultRates = .none
    /// Scales durations of transient states (2 = twice as fast).
    public var speed: Double = 1
    /// Per-project resource limits (instances, ips, volumes, security_groups, block_volumes, lbs); a create
    /// beyond one answers 403 like the real API (see Quotas.swift). Absent = unlimited.
    public var quotas: [String: Int] = [:]
    /// Access key → secret key pairs Object Storage accepts besides the local pair and the API keys
    /// made through the emulated IAM (`scwlua emulator --access-key --secret-key`).
    public var credentials: [String: String] = [:]
    /// When set: loaded at start, saved after every write (atomic rename).
    public var dataFile: String? = nil
    /// One line per request, when set.
    public var log: (@Sendable (String) -> Void)? = nil

    public init() {}
}
