// ModuleLibrary: this shared library as a file: where it is (to find the shipped lua-stdlib)
// and keeping it mapped once loaded (a Swift library must not be unloaded by dlclose).

import Foundation
import LuaHost
#if canImport(Glibc)
import Glibc
#endif

enum ModuleLibrary {
    /// The path this library was loaded from (as given to dlopen: maybe a symlink), found in
    /// /proc/self/maps by an address inside it (dladdr is a GNU extension Swift cannot see).
    static let path: String? = {
        // The code of a C function made here lives in this library's image.
        let marker: @convention(c) () -> Void = {}
        let address = UInt(bitPattern: unsafeBitCast(marker, to: UnsafeRawPointer.self))
        // Read to the end: /proc files report a size of 0.
        guard let file = FileHandle(forReadingAtPath: "/proc/self/maps") else { return nil }
        defer { try? file.close() }
        let maps = String(decoding: file.readDataToEndOfFile(), as: UTF8.self)
        for line in maps.split(separator: "\n") {
            // "start-end perms offset dev inode   /path"
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, let dash = fields[0].firstIndex(of: "-"),
                let start = UInt(fields[0][..<dash], radix: 16),
                let end = UInt(fields[0][fields[0].index(after: dash)...], radix: 16),
                start <= address, address < end
            else { continue }
            return String(fields[5].trimmingCharacters(in: .whitespaces))
        }
        return nil
    }()

    /// Makes the library stay loaded until the process ends. Lua unloads C modules when the
    /// state closes; the Swift runtime keeps pointers into this library (type metadata,
    /// conformance caches) and the engine's threads may still be winding down.
    static func pinInMemory() {
        guard let path else { return }
        _ = dlopen(path, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE)
    }

    /// Appends the shipped `lua-stdlib` (cidr, json, base64, template, file) to the END of
    /// `package.path`, so the host's own modules of the same names win: `SCWLUA_LUA_PATH`,
    /// then `lua-stdlib` beside this library, in an install tree, or in the source checkout.
    static func appendPackagePaths(_ lua: LuaState) {
        var dirs: [String] = []
        if let env = ProcessInfo.processInfo.environment["SCWLUA_LUA_PATH"] {
            dirs += env.split(separator: ":").map(String.init)
        }
        if let path {
            let here = URL(fileURLWithPath: path).resolvingSymlinksInPath().deletingLastPathComponent()
            for relative in ["lua-stdlib", "../share/scwlua/lua-stdlib", "../../lua-stdlib", "../../../lua-stdlib"] {
                let dir = here.appendingPathComponent(relative).standardizedFileURL.path
                if FileManager.default.fileExists(atPath: dir), !dirs.contains(dir) { dirs.append(dir) }
            }
        }
        guard !dirs.isEmpty, case .table(let package) = lua.global("package"), let ref = package.ref,
            let current = (try? lua.rawGet(ref, "path"))?.stringValue
        else { return }
        let added = dirs.map { "\($0)/?.lua;\($0)/?/init.lua" }.joined(separator: ";")
        try? lua.rawSet(ref, "path", .string(current + ";" + added))
    }
}
