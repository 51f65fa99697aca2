// StackSession+HostState: a session over a Lua state that its caller owns and runs on its own
// thread (a Lua host that loaded the `scaleway` module). The async engine runs elsewhere while
// the host's thread, blocked in the call, runs the Lua it asks for (`ref:map`, filling handles).

import Dispatch
import Foundation
import LuaHost
import ScwCore
import ScwEngine
import ScwScript

/// Where a session's Lua runs: the session's own `LuaThread`, or the host's thread.
protocol LuaExecutor: AnyObject, Sendable {
    /// Runs `body` where Lua runs and waits for it.
    func sync<T>(_ body: (LuaState) throws -> T) throws -> T
    /// Runs `body` where Lua runs and suspends until it is done.
    func run<T: Sendable>(_ body: @Sendable @escaping (LuaState) throws -> T) async throws -> T
}

extension LuaThread: LuaExecutor {}

/// The thread of a Lua host as the place where a session's Lua runs.
///
/// Lua only ever runs on the host's thread. While the host is blocked in `wait(for:)` (a
/// Swift function that Lua called, such as a stack's `apply`), the operation runs on other
/// threads and sends the Lua work it needs here; the host's thread runs it, one job at a
/// time, until the operation ends. Outside `wait(for:)`, Lua work runs inline: the caller is
/// then the host's thread itself.
public final class HostThreadLua: @unchecked Sendable {
    /// The host's state (usually `LuaState(borrowing:)`).
    public let state: LuaState
    private let condition = NSCondition()
    private var jobs: [HostJob] = []
    /// The thread inside `wait(for:)`, and how many of those calls are nested there.
    private var servingThread: pthread_t?
    private var depth = 0

    /// An executor for a state the host owns; jobs run when the host thread waits in it.
    public init(state: LuaState) {
        self.state = state
    }

    /// Runs `operation` on another thread and, on this thread (the host's), runs the Lua jobs
    /// it sends until it has finished; returns what it returned or throws what it threw.
    /// Calls may nest (a job may wait for another operation).
    public func wait<T: Sendable>(for operation: @escaping @Sendable () async throws -> T) throws -> T {
        let me = pthread_self()
        condition.lock()
        if depth > 0, let serving = servingThread, pthread_equal(serving, me) == 0 {
            condition.unlock()
            throw LuaHostError("another thread is already running this Lua state's operations")
        }
        depth += 1
        servingThread = me
        condition.unlock()

        // The task keeps neither `self` nor, once it has run, the operation: what the
        // operation holds (sessions, the Lua state) is released before the host goes on.
        let completion = HostCompletion<T>(condition: condition)
        let pending = PendingOperation(operation)
        Task.detached { completion.finish(await pending.run()) }

        while true {
            condition.lock()
            while jobs.isEmpty && !completion.isFinished { condition.wait() }
            if jobs.isEmpty {
                depth -= 1
                if depth == 0 { servingThread = nil }
                condition.unlock()
                break
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.work?(state)
            job.work = nil
            job.done?.signal()
        }
        return try completion.result!.get()
    }

    /// Runs `work` on the host's thread without waiting for it, while a `wait(for:)` is in
    /// progress (progress callbacks): inline when called on that thread, else at its next
    /// chance. Dropped when nothing waits.
    public func post(_ work: @escaping @Sendable (LuaState) -> Void) {
        condition.lock()
        let inline = depth > 0 && servingThread.map { pthread_equal($0, pthread_self()) != 0 } == true
        condition.unlock()
        if inline {
            work(state)
        } else {
            _ = enqueue(HostJob(done: nil, work: work))
        }
    }

    /// True while a `wait(for:)` runs on a thread other than the caller's.
    private var isServedElsewhere: Bool {
        condition.lock()
        defer { condition.unlock() }
        guard depth > 0, let serving = servingThread else { return false }
        return pthread_equal(serving, pthread_self()) == 0
    }

    private func enqueue(_ job: HostJob) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard depth > 0 else { return false }
        jobs.append(job)
        condition.broadcast()
        return true
    }

    private static let notWaiting = LuaHostError(
        "Lua work was sent to the host's thread while it was not waiting for it (use the session's *OnHostThread methods)")
}

extension HostThreadLua: LuaExecutor {
    func sync<T>(_ body: (LuaState) throws -> T) throws -> T {
        if !isServedElsewhere { return try body(state) }
        return try withoutActuallyEscaping(body) { body in
            let outcome = HostOutcome<T>()
            let done = DispatchSemaphore(value: 0)
            let job = HostJob(done: done) { state in outcome.result = Result { try body(state) } }
            guard enqueue(job) else { throw Self.notWaiting }
            done.wait()  // signalled after the host dropped `body`
            return try outcome.result!.get()
        }
    }

    func run<T: Sendable>(_ body: @Sendable @escaping (LuaState) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let job = HostJob(done: nil) { state in continuation.resume(with: Result { try body(state) }) }
            if !enqueue(job) { continuation.resume(throwing: Self.notWaiting) }
        }
    }
}

/// One piece of Lua work for the host's thread. `work` is dropped before `done` is signalled.
private final class HostJob: @unchecked Sendable {
    var work: ((LuaState) -> Void)?
    let done: DispatchSemaphore?

    init(done: DispatchSemaphore?, work: @escaping (LuaState) -> Void) {
        self.done = done
        self.work = work
    }
}

/// A result handed from a job on the host's thread to the thread that waits for it.
private final class HostOutcome<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}

/// The end of an operation, guarded by the host queue's condition.
private final class HostCompletion<T>: @unchecked Sendable {
    private let condition: NSCondition
    private(set) var result: Result<T, Error>?
    var isFinished: Bool { result != nil }  // read with the condition locked

    init(condition: NSCondition) { self.condition = condition }

    func finish(_ result: Result<T, Error>) {
        condition.lock()
        self.result = result
        condition.broadcast()
        condition.unlock()
    }
}

/// An operation run once, then let go.
private final class PendingOperation<T: Sendable>: @unchecked Sendable {
    private var operation: (@Sendable () async throws -> T)?

    init(_ operation: @escaping @Sendable () async throws -> T) { self.operation = operation }

    func run() async -> Result<T, Error> {
        guard let operation else { return .failure(LuaHostError("operation already run")) }
        self.operation = nil
        do {
            return .success(try await operation())
        } catch {
            return .failure(error)
        }
    }
}

extension StackSession {
    /// A session over a Lua state that the caller owns, with the `scaleway` module already
    /// installed in it (`script`, made on `host.state`). Nothing is started: no Lua thread.
    ///
    /// Use it from the host's thread, through the blocking `*OnHostThread` methods (the async
    /// ones would wait for a thread that is not serving them). `options.scriptPath`,
    /// `libraryPaths`, `variables` and `luaFunctions` are not used: the host has its state.
    public convenience init(options: StackOptions, host: HostThreadLua, script: ScriptSession,
                            store: (any StateStore)? = nil) throws {
        guard script.lua === host.state else {
            throw Diagnostic("internal: the script session is not on the host's Lua state")
        }
        var options = options
        options.scriptPath = nil
        try self.init(options: options, store: store, lua: (host, script))
    }

    /// The host's thread, when the session runs over a host's Lua state.
    public var hostThread: HostThreadLua? { thread as? HostThreadLua }

    /// `plan(destroy:)`, blocking the host's thread and running the Lua the plan needs on it.
    public func planOnHostThread(destroy: Bool = false) throws -> Plan {
        try requireHost().wait { try await self.plan(destroy: destroy) }
    }

    /// `deploy(destroy:events:)` without asking, blocking the host's thread and running the
    /// Lua the apply needs on it. `events` is called on the engine's threads.
    public func deployOnHostThread(destroy: Bool = false, events: @escaping ApplyEventHandler = { _ in })
        throws -> DeployOutcome
    {
        try requireHost().wait { try await self.deploy(destroy: destroy, events: events) }
    }

    /// `refresh()`, blocking the host's thread.
    public func refreshOnHostThread() throws -> [String] {
        try requireHost().wait { try await self.refresh() }
    }

    private func requireHost() throws -> HostThreadLua {
        guard let host = hostThread else {
            throw Diagnostic("this session runs its own Lua thread: use the async methods")
        }
        return host
    }
}
