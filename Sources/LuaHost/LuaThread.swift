// LuaThread: a dedicated thread that owns one LuaState and runs jobs on it one at a time,
// so that Lua only ever runs on that thread, whether called from blocking or async code.

import Dispatch
import Foundation

/// A thread that owns a `LuaState` and runs jobs on it serially, in the order given.
///
/// The state is made, used and closed on this thread only. `sync` blocks the caller (for
/// the CLI); `run` suspends an async caller. A job may itself call `sync` (it runs inline).
/// Dropping the last reference (or `shutdown()`) runs the jobs already queued, then closes
/// the state on its thread.
public final class LuaThread: @unchecked Sendable {
    private let worker: Worker

    /// Starts the thread and makes its state; `setup` runs first, on that thread (register
    /// modules, package paths). Throws what making the state or `setup` throws.
    public init(name: String = "scwlua.lua", setup: ((LuaState) throws -> Void)? = nil) throws {
        worker = Worker()
        let ready = DispatchSemaphore(value: 0)
        let outcome = Outcome<Void>()
        let setupBox = Unchecked(setup)
        let worker = worker
        let thread = Thread {
            worker.main(setup: setupBox.value, outcome: outcome, ready: ready)
        }
        thread.name = name
        thread.stackSize = 16 << 20  // deep Lua/Swift nesting; the default can be small
        thread.start()
        ready.wait()
        try outcome.result!.get()
    }

    deinit {
        worker.stop(wait: !worker.isCurrent)
    }

    /// True when called from this Lua thread (inside a job).
    public var isCurrent: Bool { worker.isCurrent }

    /// Runs `body` on the Lua thread and waits for it. From inside a job it runs inline.
    public func sync<T>(_ body: (LuaState) throws -> T) throws -> T {
        if worker.isCurrent, let state = worker.state { return try body(state) }
        return try withoutActuallyEscaping(body) { body in
            let outcome = Outcome<T>()
            let done = DispatchSemaphore(value: 0)
            let job = Job(done: done) { state in outcome.result = Result { try body(state) } }
            guard worker.enqueue(job) else { throw LuaHostError("the Lua thread has stopped") }
            done.wait()  // signalled after the job released `body`
            return try outcome.result!.get()
        }
    }

    /// Runs `body` on the Lua thread and suspends until it is done. The job runs to the end
    /// even if the calling task is cancelled.
    public func run<T: Sendable>(_ body: @Sendable @escaping (LuaState) throws -> T) async throws -> T {
        if worker.isCurrent, let state = worker.state { return try body(state) }
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let job = Job(done: nil) { state in continuation.resume(with: Result { try body(state) }) }
            if !worker.enqueue(job) {
                continuation.resume(throwing: LuaHostError("the Lua thread has stopped"))
            }
        }
    }

    /// Runs the jobs already queued, closes the state and ends the thread; later jobs throw.
    /// Waits for the end unless called from the Lua thread itself.
    public func shutdown() {
        worker.stop(wait: !worker.isCurrent)
    }
}

/// A result handed from one thread to another, read after a semaphore.
private final class Outcome<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}

/// Carries a value to the Lua thread while the sender waits for it.
private struct Unchecked<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// One unit of work. `work` is dropped before `done` is signalled, so a `sync` caller knows
/// the closure it lent is gone.
private final class Job: @unchecked Sendable {
    var work: ((LuaState) -> Void)?
    let done: DispatchSemaphore?

    init(done: DispatchSemaphore?, work: @escaping (LuaState) -> Void) {
        self.work = work
        self.done = done
    }
}

/// The queue and the loop of the Lua thread.
private final class Worker: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var stopping = false
    private var finished = false
    private var thread: pthread_t?
    /// Only touched on the Lua thread.
    private(set) var state: LuaState?

    var isCurrent: Bool {
        condition.lock()
        defer { condition.unlock() }
        guard let thread else { return false }
        return pthread_equal(thread, pthread_self()) != 0
    }

    func main(setup: ((LuaState) throws -> Void)?, outcome: Outcome<Void>, ready: DispatchSemaphore) {
        condition.lock()
        thread = pthread_self()
        condition.unlock()
        do {
            let state = try LuaState()
            try setup?(state)
            self.state = state
            outcome.result = .success(())
        } catch {
            outcome.result = .failure(error)
            condition.lock()
            stopping = true
            finished = true
            condition.unlock()
            ready.signal()
            return
        }
        ready.signal()
        runLoop()
        state = nil  // closes Lua here, on its thread
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    private func runLoop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            if let state { job.work?(state) }
            job.work = nil
            job.done?.signal()
        }
    }

    func enqueue(_ job: Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if stopping { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    func stop(wait: Bool) {
        condition.lock()
        defer { condition.unlock() }
        stopping = true
        condition.broadcast()
        while wait && !finished { condition.wait() }
    }
}
