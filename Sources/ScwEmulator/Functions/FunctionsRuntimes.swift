// Functions runtimes: the list `GET /runtimes` serves (name, language, version, status...) and
// how a runtime finds its handler's file in an archive (node: `handler.handle` → handler.js).

enum FunctionsRuntimes {
    struct Runtime {
        let name: String
        let language: String
        let version: String
        let status: String
        let defaultHandler: String
        let extensionName: String
    }

    static let all: [Runtime] = [
        Runtime(name: "node18", language: "Node", version: "18", status: "deprecated", defaultHandler: "handler.handle", extensionName: "js"),
        Runtime(name: "node20", language: "Node", version: "20", status: "available", defaultHandler: "handler.handle", extensionName: "js"),
        Runtime(name: "node22", language: "Node", version: "22", status: "available", defaultHandler: "handler.handle", extensionName: "js"),
        Runtime(name: "node26", language: "Node", version: "26", status: "available", defaultHandler: "handler.handle", extensionName: "js"),
        Runtime(name: "python310", language: "Python", version: "3.10", status: "available", defaultHandler: "handler.handle", extensionName: "py"),
        Runtime(name: "python311", language: "Python", version: "3.11", status: "available", defaultHandler: "handler.handle", extensionName: "py"),
        Runtime(name: "python312", language: "Python", version: "3.12", status: "available", defaultHandler: "handler.handle", extensionName: "py"),
        Runtime(name: "python313", language: "Python", version: "3.13", status: "available", defaultHandler: "handler.handle", extensionName: "py"),
        Runtime(name: "go122", language: "Go", version: "1.22", status: "available", defaultHandler: "Handle", extensionName: "go"),
        Runtime(name: "go123", language: "Go", version: "1.23", status: "available", defaultHandler: "Handle", extensionName: "go"),
        Runtime(name: "go124", language: "Go", version: "1.24", status: "available", defaultHandler: "Handle", extensionName: "go"),
        Runtime(name: "php82", language: "PHP", version: "8.2", status: "available", defaultHandler: "handler.handle", extensionName: "php"),
        Runtime(name: "php84", language: "PHP", version: "8.4", status: "available", defaultHandler: "handler.handle", extensionName: "php"),
        Runtime(name: "rust185", language: "Rust", version: "1.85", status: "available", defaultHandler: "handler", extensionName: "rs"),
        Runtime(name: "node16", language: "Node", version: "16", status: "end_of_life", defaultHandler: "handler.handle", extensionName: "js"),
    ]

    static func named(_ name: String) -> Runtime? { all.first { $0.name == name } }

    static func json(_ r: Runtime) -> JSONValue {
        .object([
            "name": .string(r.name), "language": .string(r.language), "version": .string(r.version),
            "default_handler": .string(r.defaultHandler), "code_sample": .string(""), "status": .string(r.status),
            "status_message": .string(""), "extension": .string(r.extensionName), "implementation": .string(r.language.lowercased()),
            "logo_url": .string(""),
        ])
    }

    /// The files one of which must be in the archive for `handler` (empty: no file check, as
    /// for Go and Rust whose handler names a function in the package).
    static func handlerFiles(runtime: Runtime, handler: String) -> [String] {
        guard let dot = handler.lastIndex(of: ".") else { return [] }
        let module = String(handler[..<dot])
        switch runtime.extensionName {
        case "js": return ["js", "mjs", "cjs"].map { "\(module).\($0)" }
        case "py": return [module.replacingOccurrences(of: ".", with: "/") + ".py"]
        case "php": return ["\(module).php"]
        default: return []
        }
    }
}
