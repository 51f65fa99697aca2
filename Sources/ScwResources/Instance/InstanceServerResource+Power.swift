// Instance power states: actions and the bounded waits after them, with the provider's
// transitions (poweron, poweroff, stop_in_place; standby→stopped is poweron then poweroff).
// `starting`/`stopping` are waited out; `locked` or another final state ends a wait in error.

import ScalewayAPI
import ScwCore
import ScwEngine

extension InstanceServerResource {
    /// Script states and the API states they mean.
    static let apiState = ["started": "running", "stopped": "stopped", "standby": "stopped in place"]

    /// The script state of an API state (`running` → `started`); transient states map to
    /// where they lead.
    static func scriptState(_ apiState: String) -> String {
        switch apiState {
        case "running", "starting": return "started"
        case "stopped", "stopping": return "stopped"
        case "stopped in place": return "standby"
        default: return apiState
        }
    }

    /// Polls until the server is in a final state (not `starting`/`stopping`).
    func waitSettled(zone: String, id: String, timeout: Double, context: ProviderContext) async throws -> InstanceServer {
        try await Waiter.poll(timeout: timeout, initialInterval: env.pollInterval, maxInterval: 10, what: "server \(context.address) to settle") {
            let s = try await api.getServer(zone: zone, id: id)
            if s.state == "locked" { return .failed("locked") }
            if s.isTransient { context.phase(Self.describe(s)); return .pending(Self.describe(s)) }
            return .done(s)
        }
    }

    /// Brings the server to a script state (`started`, `stopped`, `standby`), waiting for each step.
    func reachState(_ target: String, zone: String, id: String, timeout: Double, context: ProviderContext) async throws -> InstanceServer {
        guard let wanted = Self.apiState[target] else {
            throw Diagnostic("unknown state '\(target)' (started, stopped or standby)", at: .resource(context.address))
        }
        var server = try await waitSettled(zone: zone, id: id, timeout: timeout, context: context)
        for _ in 0..<3 where server.state != wanted {
            switch (server.state, wanted) {
            case ("stopped", _), ("stopped in place", "running"), ("stopped in place", "stopped"):
                server = try await act("poweron", from: server, expect: "running", zone: zone, timeout: timeout, context: context)
            case ("running", "stopped"):
                server = try await act("poweroff", from: server, expect: "stopped", zone: zone, timeout: timeout, context: context)
            case ("running", "stopped in place"):
                server = try await act("stop_in_place", from: server, expect: "stopped in place", zone: zone, timeout: timeout, context: context)
            default:
                throw Diagnostic("cannot bring the server from '\(server.state)' to '\(wanted)'", at: .resource(context.address))
            }
        }
        return server
    }

    /// Runs an action and waits for `expect`. An action whose answer was lost is not blindly
    /// sent again: the server is re-read, and the action repeated only if nothing moved.
    func act(_ action: String, from server: InstanceServer, expect: String, zone: String, timeout: Double,
             context: ProviderContext) async throws -> InstanceServer {
        context.phase(action == "poweron" ? "powering on" : action == "poweroff" ? "powering off" : action)
        var attempts = 0
        while true {
            attempts += 1
            do {
                _ = try await api.serverAction(zone: zone, id: server.id, action: action)
                break
            } catch is AmbiguousWriteError {
                let now = try await api.getServer(zone: zone, id: server.id)
                if now.state != server.state || attempts >= 3 { break }   // it moved: the action went through
            } catch let error as APIError where error.status == 400 {
                // Refused in this state: fine if an earlier, lost attempt already moved it.
                let now = try await api.getServer(zone: zone, id: server.id)
                if now.state == server.state { throw error }
                break
            }
        }
        return try await waitState(expect, origin: server.state, zone: zone, id: server.id, timeout: timeout, context: context)
    }

    /// Polls until the server reaches `expect`. Transient states are waited out; `locked` or
    /// another final state ends the wait with an error (the origin state is tolerated for the
    /// first polls, in case the action is not visible yet).
    func waitState(_ expect: String, origin: String, zone: String, id: String, timeout: Double, context: ProviderContext) async throws -> InstanceServer {
        var graceLeft = 3
        return try await Waiter.poll(timeout: timeout, initialInterval: env.pollInterval, maxInterval: 10,
                                     what: "server \(context.address) to be \(expect)") {
            let s = try await api.getServer(zone: zone, id: id)
            if s.state == expect { return .done(s) }
            if s.state == "locked" { return .failed("locked") }
            if s.isTransient { context.phase(Self.describe(s)); return .pending(Self.describe(s)) }
            if s.state == origin, graceLeft > 0 { graceLeft -= 1; return .pending(s.state) }
            return .failed("\(s.state) instead of \(expect)")
        }
    }

    /// Terminates a running server (it goes with its local volumes and dynamic IP).
    func terminate(zone: String, id: String, timeout: Double, context: ProviderContext) async throws {
        context.phase("terminating")
        do {
            _ = try await api.serverAction(zone: zone, id: id, action: "terminate")
        } catch is AmbiguousWriteError {
            let now = try await api.getServer(zone: zone, id: id)
            if now.state == "running" { _ = try await api.serverAction(zone: zone, id: id, action: "terminate") }
        }
    }

    /// Polls until the server answers 404; a server that ends `stopped` instead (a terminate
    /// that failed) is deleted, as the provider's fallback does.
    func waitGone(zone: String, id: String, timeout: Double, context: ProviderContext) async throws {
        try await Waiter.poll(timeout: timeout, initialInterval: env.pollInterval, maxInterval: 10, what: "server \(context.address) to be deleted") { () async throws -> WaitStep<Void> in
            do {
                let s = try await api.getServer(zone: zone, id: id)
                if s.state == "stopped", s.stateDetail != "terminating", s.allowedActions.contains("poweron") {
                    try await api.deleteServer(zone: zone, id: id)
                }
                return .pending(Self.describe(s))
            } catch let error as APIError where error.isNotFound {
                return .done(())
            }
        }
    }

    /// `starting (booting kernel)`.
    static func describe(_ s: InstanceServer) -> String {
        if let detail = s.stateDetail, !detail.isEmpty { return "\(s.state) (\(detail))" }
        return s.state
    }
}
