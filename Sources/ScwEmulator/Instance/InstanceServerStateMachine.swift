// Server states and actions: what each state allows (`allowed_actions`), the transient state an
// action starts (lasting 2 s / speed), and settling: completing due transitions, terminate included.

import Foundation

enum ServerState {
    static let running = "running"
    static let stopped = "stopped"
    static let standby = "stopped in place"
    static let starting = "starting"
    static let stopping = "stopping"
    /// The pseudo-target of terminate: the server is gone when it is reached.
    static let terminated = "terminated"
}

enum InstanceServerStateMachine: StatusTimeline {
    /// How long a transient state lasts at speed 1 (poweron, poweroff, reboot, terminate...).
    static let transitionSeconds = 2.0

    static func state(_ server: Record) -> String { server.body["state"]?.stringValue ?? ServerState.stopped }
    static func target(_ server: Record) -> String? { server.meta["transition"]?["target"]?.stringValue }

    /// What the server accepts now; exactly what `POST /action` will take (besides enable_routed_ip).
    static func allowedActions(_ server: Record) -> [String] {
        switch state(server) {
        case ServerState.running: return ["poweroff", "terminate", "reboot", "stop_in_place"]
        case ServerState.stopped, ServerState.standby: return ["poweron"]
        case ServerState.starting: return ["stop_in_place"]
        case ServerState.stopping: return target(server) == ServerState.terminated ? [] : ["stop_in_place"]
        default: return []
        }
    }

    /// Starts `action` on `server` (state, state_detail, pending transition), or throws the legacy
    /// 400 the API answers for an action the state does not allow.
    static func begin(_ action: String, on server: inout Record, now: Double, speed: Double) throws {
        let known = ["poweron", "poweroff", "stop_in_place", "reboot", "terminate", "backup", "enable_routed_ip"]
        guard known.contains(action) else {
            throw APIError.instanceValidation("action", "\"\(action)\" is not a valid action (one of \(known.joined(separator: ", ")))")
        }
        if action == "enable_routed_ip" { return }   // every emulated server is already routed
        if action == "backup" { throw APIError.instanceRequest("the emulator does not implement the backup action") }
        guard allowedActions(server).contains(action) else {
            let current = state(server)
            let message = action == "poweron" ? "server should be stopped" : "server should be running"
            throw APIError.instanceRequest("\(message) (it is \(current); allowed actions: \(allowedActions(server).joined(separator: ", ")))")
        }
        let (transient, detail, target): (String, String, String)
        switch action {
        case "poweron": (transient, detail, target) = (ServerState.starting, "allocating node", ServerState.running)
        case "reboot": (transient, detail, target) = (ServerState.starting, "rebooting", ServerState.running)
        case "poweroff": (transient, detail, target) = (ServerState.stopping, "stopping", ServerState.stopped)
        case "stop_in_place": (transient, detail, target) = (ServerState.stopping, "stopping", ServerState.standby)
        default: (transient, detail, target) = (ServerState.stopping, "terminating", ServerState.terminated)
        }
        server.body["state"] = .string(transient)
        server.body["state_detail"] = .string(detail)
        server.body["modification_date"] = .string(Clock.instanceTimestamp())
        let due = now + Clock.scaled(seconds: transitionSeconds, speed: speed)
        server.meta["transition"] = .object(["target": .string(target), "due": .double(due)])
    }

    // MARK: settling

    static func due(_ server: Record) -> Double? { StepQueue.time(server.meta["transition"]?["due"]) }

    /// The earliest pending transition, if any.
    static func nextDue(_ state: CloudState) -> Double? {
        state.list(InstanceService.serverKind).compactMap(due).min()
    }

    /// Completes every transition due at `now`: final state reached, or the terminated server removed.
    static func settle(_ state: inout CloudState, now: Double) {
        for var server in state.list(InstanceService.serverKind) {
            guard let due = due(server), due <= now, let target = target(server) else { continue }
            server.meta["transition"] = nil
            if target == ServerState.terminated {
                InstanceService.remove(server, deletingLocalVolumes: true, in: &state)
                continue
            }
            server.body["state"] = .string(target)
            server.body["modification_date"] = .string(Clock.instanceTimestamp())
            switch target {
            case ServerState.running:
                let n = server.id.utf8.reduce(0) { $0 &+ Int($1) }   // a stable placement per server
                server.body["state_detail"] = .string("booting kernel")
                server.body["location"] = .object([
                    "zone_id": .string(server.zone ?? ""), "platform_id": .string("14"), "cluster_id": .string(String(10 + n % 10)),
                    "hypervisor_id": .string(String(100 + n % 50)), "node_id": .string(String(1 + n % 40)),
                ])
            case ServerState.stopped:
                server.body["state_detail"] = .string("")
                server.body["location"] = .null
            default:
                server.body["state_detail"] = .string("")
            }
            state.put(server)
        }
    }
}

/// The store as the Instance and Block APIs see it: transitions that are due are completed before
/// any read or write, and on time even when no request comes.
typealias InstanceStore = TimelineStore<InstanceServerStateMachine>
