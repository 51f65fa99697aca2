// emulator: serve the local Scaleway API emulator in the foreground.

import ArgumentParser
import Foundation
import ScwEmulator

struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "emulator", abstract: "Run the local Scaleway API emulator.")

    @Option(name: .long, help: "Port (0 picks a free one).") var port = 4599
    @Option(name: .long, help: "Added latency per request, in milliseconds.") var latency = 0
    @Option(name: .long, help: "Fault rates, e.g. 429:0.1,503:0.05,drop:0.01") var faults: String?
    @Option(name: .long, help: "Speed of transient states (2 = twice as fast).") var speed = 1.0
    @Option(name: .long, help: "Keep the emulated cloud in this file between runs.") var data: String?
    @Flag(name: .long, help: "Print one line per request.") var verbose = false
    @Option(name: .long, help: "An access key Object Storage accepts besides the local one (default: $SCW_ACCESS_KEY).") var accessKey: String?
    @Option(name: .long, help: "The secret key of --access-key (default: $SCW_SECRET_KEY).") var secretKey: String?

    func run() async throws {
        try await runReporting {
            var options = EmulatorOptions()
            options.port = port
            options.latencyMs = latency
            if let faults { options.faults = try FaultRates(parsing: faults) }
            options.speed = speed
            options.dataFile = data
            let env = ProcessInfo.processInfo.environment
            if let access = accessKey ?? env["SCW_ACCESS_KEY"], let secret = secretKey ?? env["SCW_SECRET_KEY"],
               !access.isEmpty, !secret.isEmpty {
                options.credentials[access] = secret
            } else if accessKey != nil || secretKey != nil {
                throw ValidationError("--access-key and --secret-key go together (or SCW_ACCESS_KEY and SCW_SECRET_KEY)")
            }
            if verbose { options.log = { line in Terminal.err(line) } }
            let emulator = try Emulator(options: options)
            try emulator.start()
            Terminal.out("Scaleway API emulator listening on \(emulator.baseURL)\n")
            Terminal.out("  use it with: scwlua deploy --endpoint \(emulator.baseURL) FILE.lua\n")
            Terminal.out("  Object Storage (S3): \(emulator.baseURL) (path style, any region)\n")
            Terminal.out("  local key pair: SCW_ACCESS_KEY=\(Emulator.localAccessKey) SCW_SECRET_KEY=\(Emulator.localSecretKey)\n")
            if let extra = options.credentials.keys.first { Terminal.out("  also accepted: access key \(extra) (its secret key as given)\n") }
            Terminal.out("  control API: \(emulator.baseURL)/__emulator/resources, /__emulator/stats, POST /__emulator/reset\n")
            signal(SIGINT, SIG_IGN)
            signal(SIGTERM, SIG_IGN)
            let stop = DispatchSemaphore(value: 0)
            let sources = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                source.setEventHandler { stop.signal() }
                source.resume()
                return source
            }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async { stop.wait(); c.resume() }
            }
            _ = sources
            emulator.stop()
        }
    }
}
