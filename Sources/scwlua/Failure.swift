// Failure: how the CLI reports an error and exits non-zero.

import ArgumentParser
import Foundation
import ScwCore

enum Failure {
    /// Prints `error: ...` to stderr and returns the exit code to use.
    static func report(_ error: Error) -> ExitCode {
        if let exit = error as? ExitCode { return exit }
        if error is ExitCode130 { return ExitCode(130) }
        if error is CleanExit { return .success }
        Terminal.err(Terminal.style.red("error: ") + String(describing: error))
        return .failure
    }
}

/// Runs an async command body, turning any error into a reported failure.
func runReporting(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ExitCode {
        throw error
    } catch is ExitCode130 {
        throw ExitCode(130)
    } catch {
        throw Failure.report(error)
    }
}
