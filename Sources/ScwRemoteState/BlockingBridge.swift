// BlockingBridge: the StateStore protocol is synchronous, the S3 client is async. A store call
// runs its S3 work as a task on a thread of its own (a TaskExecutor) and waits for it, so a
// caller blocked on a pool thread never waits for a pool thread (no deadlock on 2 cores).

import Foundation

/// Runs async work to completion from synchronous code.
enum BlockingBridge {
    /// One thread for every remote store of the process: the work there is signing, parsing
    /// and waiting for libcurl's own thread, which is little.
    static let executor = DedicatedThreadExecutor(name: "scwlua-remote-state")

    /// Runs `body` on the bridge's thread and returns its result. The work is not cancelled
    /// when the calling task is: a state write, once started, finishes (and is then durable).
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        // Waiting here from the bridge's own thread would wait forever.
        precondition(!executor.isCurrentThread, "a remote state store was called from its own S3 thread")
        let outcome = Outcome<T>()
        Task.detached(executorPreference: executor) {
            do {
                outcome.finish(.success(try await body()))
            } catch {
                outcome.finish(.failure(error))
            }
        }
        return try outcome.wait().get()
    }

    /// A result handed from the task to the waiting thread.
    private final class Outcome<T: Sendable>: @unchecked Sendable {
        private let condition = NSCondition()
        private var result: Result<T, any Error>?

        func finish(_ r: Result<T, any Error>) {
            condition.lock()
            result = r
            condition.signal()
            condition.unlock()
        }

        func wait() -> Result<T, any Error> {
            condition.lock()
            defer { condition.unlock() }
            while result == nil { condition.wait() }
            return result!
        }
    }
}

/// A task executor backed by one thread that runs jobs in the order they come.
final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    /// The executor's thread, once it runs.
    private var thread: pthread_t?

    init(name: String) {
        let thread = Thread { self.loop() }   // lives as long as the process (one static instance)
        thread.name = name
        thread.start()
    }

    /// True on the executor's thread.
    var isCurrentThread: Bool {
        condition.lock()
        defer { condition.unlock() }
        guard let thread else { return false }
        return pthread_equal(thread, pthread_self()) != 0
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        condition.lock()
        thread = pthread_self()
        condition.unlock()
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }
}
