// graph and docs: the dependency graph of a script, and the resource reference.

import ArgumentParser
import Foundation
import ScwCore
import ScwLua
import ScwRender

struct GraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "graph", abstract: "Print a script's dependency graph (DOT, Mermaid, or SVG via Graphviz).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case dot, mermaid, svg }

    @Argument(help: "The Lua script.") var script: String
    @Option(name: .long, help: "dot, mermaid or svg.") var format: Format = .dot
    @OptionGroup var trust: TrustOptions

    func run() async throws {
        try await runReporting {
            let program = try ScriptRunner.run(file: script, permissions: try trust.permissions(scriptDirectory: TrustOptions.folder(of: script)))
            switch format {
            case .dot: Terminal.out(GraphText.dot(program))
            case .mermaid: Terminal.out(GraphText.mermaid(program))
            case .svg: Terminal.out(try render(GraphText.dot(program)))
            }
        }
    }

    /// Runs Graphviz's `dot -Tsvg`; says how to install it when it is missing.
    private func render(_ dot: String) throws -> String {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/dot" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else {
            throw Diagnostic("--format svg needs Graphviz's `dot`, which is not installed",
                             hint: "install it with `apt-get install graphviz`, or use --format dot / --format mermaid")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-Tsvg"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(dot.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Diagnostic("dot -Tsvg failed (exit \(process.terminationStatus))") }
        return String(decoding: data, as: UTF8.self)
    }
}

struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "docs", abstract: "Print every resource's props, defaults and outputs.")

    @Argument(help: "One resource type, e.g. VpcPrivateNetwork.") var type: String?
    @Flag(name: .long, help: "Markdown (as in docs/resources.md).") var markdown = false

    func run() throws {
        let schemas = ScwLuaInfo.schemas
        if let type {
            guard let schema = schemas.first(where: { $0.typeName == type }) else {
                let names = schemas.map(\.typeName)
                let hint = Suggest.closest(to: type, in: names).map { "did you mean '\($0)'?" } ?? "types: \(names.joined(separator: ", "))"
                throw Failure.report(Diagnostic("unknown resource type '\(type)'", hint: hint))
            }
            Terminal.out(markdown ? DocsText.markdown(schema) : DocsText.text(schema))
        } else if markdown {
            Terminal.out(DocsText.markdown(schemas))
        } else {
            for schema in schemas { Terminal.out(DocsText.text(schema) + "\n") }
        }
    }
}
