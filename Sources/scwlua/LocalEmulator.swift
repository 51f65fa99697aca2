// LocalEmulator: `--local`: an in-process emulator whose cloud is kept in
// `<state dir>/emulator.json`. That file holds what scripts sent (secret tags, user data), so
// the folder is made 0700 and the file 0600 whatever the umask, like state.

import Foundation
import ScwEmulator

enum LocalEmulator {
    /// Starts the emulator for `stateDirectory`, creating that folder (owner only) if needed.
    /// It listens on the port it had last time (`emulator.port`) when that port is free, so
    /// that what names it (a bucket's `endpoint` output) stays the same between runs.
    static func start(stateDirectory: String) throws -> Emulator {
        try makePrivateDirectory(stateDirectory)
        var options = EmulatorOptions()
        options.dataFile = (stateDirectory as NSString).appendingPathComponent("emulator.json")
        let portFile = (stateDirectory as NSString).appendingPathComponent("emulator.port")
        if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)),
           (1024...65_535).contains(port) {
            options.port = port
            let emulator = try Emulator(options: options)
            if (try? emulator.start()) != nil { return emulator }
            options.port = 0   // taken (another run of this folder, or another program): any free port
        }
        let emulator = try Emulator(options: options)
        try emulator.start()
        _ = FileManager.default.createFile(atPath: portFile, contents: Data("\(emulator.port)\n".utf8), attributes: [.posixPermissions: 0o600])
        return emulator
    }

    /// Creates `path` and its missing parents; the folder itself gets mode 0700 when it is new.
    static func makePrivateDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path,
                                                           NSLocalizedDescriptionKey: "cannot create \(path): \(String(cString: strerror(errno)))"])
        }
        _ = chmod(path, 0o700)   // mkdir's mode is narrowed by the umask, never widened: set it exactly
    }
}
