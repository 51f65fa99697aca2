// ReadableFolders: which files a sandboxed script may open. Paths are resolved the way the
// kernel will open them (symlinks and `..` included) before they are compared with the
// allowed folders, so `../../etc/shadow` or a symlink out of the script's folder is refused.

import Foundation

struct ReadableFolders: Sendable {
    /// Canonical folders whose files may be read: the script's and the allowed ones.
    let readRoots: [String]
    /// Canonical folders `require` may load modules from: the read roots and the folders of
    /// `package.path` when the sandbox was installed (the shipped library, system Lua modules).
    let codeRoots: [String]

    init(scriptDirectory: String, allowed: [String], codeDirectories: [String]) {
        readRoots = Self.unique([scriptDirectory].map(Self.canonical) + allowed.map(Self.canonical))
        codeRoots = Self.unique(readRoots + codeDirectories.map(Self.canonical))
    }

    /// Whether `path` (as the script gave it: relative to the working directory) may be
    /// opened for reading, and the path it resolves to.
    func check(_ path: String, code: Bool) -> (allowed: Bool, resolved: String) {
        let resolved = Self.canonical(path)
        let roots = code ? codeRoots : readRoots
        return (roots.contains { Self.isBelow(resolved, $0) }, resolved)
    }

    /// The folder to name in `--allow-read` for a refused path: the path itself when it is a
    /// folder, else its parent.
    static func folderToAllow(_ resolved: String) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), isDirectory.boolValue { return resolved }
        let parent = (resolved as NSString).deletingLastPathComponent
        return parent.isEmpty ? "/" : parent
    }

    static func isBelow(_ path: String, _ root: String) -> Bool {
        root == "/" || path == root || path.hasPrefix(root + "/")
    }

    /// The absolute path with symlinks resolved. For a path that does not exist, the longest
    /// part that exists is resolved and the rest kept (with `.` and `..` applied).
    static func canonical(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        if let real = realPath(absolute) { return real }
        var components: [String] = []
        for c in absolute.split(separator: "/") {
            if c == "." { continue }
            if c == ".." { _ = components.popLast(); continue }
            components.append(String(c))
        }
        var existing = components.count
        while existing > 0 {
            if let real = realPath("/" + components[0..<existing].joined(separator: "/")) {
                return ([real == "/" ? "" : real] + components[existing...]).joined(separator: "/")
            }
            existing -= 1
        }
        return "/" + components.joined(separator: "/")
    }

    private static func realPath(_ path: String) -> String? {
        guard let real = realpath(path, nil) else { return nil }
        defer { free(real) }
        return String(cString: real)
    }

    private static func unique(_ paths: [String]) -> [String] {
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }
    }
}
