// An example of a Swift tool that embeds scwlua: deploy a stack from a Lua script, report
// progress through the event callback, and write the stack's outputs to a JSON file.
//
//   scwlua-embed-example SCRIPT.lua OUTPUTS.json [--endpoint URL] [--stack NAME] [--var k=v]...

import Foundation
import ScwLua

@main
struct EmbedDeployExample {
    static func main() async {
        var args = Array(CommandLine.arguments.dropFirst())
        guard args.count >= 2 else {
            FileHandle.standardError.write(Data("usage: scwlua-embed-example SCRIPT.lua OUTPUTS.json [--endpoint URL] [--stack NAME] [--var k=v]\n".utf8))
            exit(2)
        }
        let script = args.removeFirst(), outputFile = args.removeFirst()
        var options = StackOptions(scriptPath: script)
        while !args.isEmpty {
            let flag = args.removeFirst()
            guard let value = args.first else { break }
            args.removeFirst()
            switch flag {
            case "--endpoint": options.target = .emulator(baseURL: value)
            case "--stack": options.stack = value
            case "--var":
                let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { options.variables[parts[0]] = .string(parts[1]) }
            default: break
            }
        }
        do {
            let session = try StackSession(options: options)
            let outcome = try await session.deploy(events: { event in
                if case .finished(let address, let action, _) = event { print("\(address): \(action.pastTense)") }
            })
            if case .noChanges(let plan) = outcome { print("no changes (\(plan.changes.count) resources)") }
            // Outputs as Swift values; secrets stay hidden in what we write.
            let outputs = try session.outputs()
            try (JSONText.encode(outputs) + "\n").write(toFile: outputFile, atomically: true, encoding: .utf8)
            print("wrote \(outputs.count) outputs to \(outputFile)")
        } catch let failure as ApplyFailure {
            // What failed, with the partial result: what succeeded is in state.
            FileHandle.standardError.write(Data("deploy failed: \(failure.result.failed.map(\.description).joined(separator: ", "))\n".utf8))
            exit(1)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(1)
        }
    }
}
