// StackScriptGuard: one stack per script. Two scripts in one folder share `.scwlua` and the
// stack `default`; without this, planning the second would plan the first one's resources for
// deletion without a word. A stack remembers the script last deployed to it (relative to the
// state folder); another script is refused while the stack holds resources.

import Foundation
import ScwCore
import ScwEngine
import ScwState

enum StackScriptGuard {
    /// `script` as seen from `stateDirectory` (`../infra.lua` for `.scwlua` beside it).
    static func relativePath(of script: String, from stateDirectory: String) -> String {
        let target = absoluteComponents(script), base = absoluteComponents(stateDirectory)
        var common = 0
        while common < min(target.count, base.count), target[common] == base[common] { common += 1 }
        let up = Array(repeating: "..", count: base.count - common)
        return (up + target[common...]).joined(separator: "/")
    }

    /// Refuses `script` for `stack` when the stack holds resources deployed from another
    /// script, unless `adopt` (`--adopt-stack`).
    static func check(store: any StateStore, stack: String, script: String, stateDirectory: String, adopt: Bool) throws {
        guard !adopt, let recording = store as? any StackScriptRecording,
              let recorded = try recording.stackScript(stack: stack) else { return }
        let mine = relativePath(of: script, from: stateDirectory)
        guard recorded != mine, try !store.resources(stack: stack).isEmpty else { return }
        let theirs = display(resolving: recorded, from: stateDirectory), this = display(script)
        throw Diagnostic("stack '\(stack)' was deployed from \(theirs), not \(this): its resources are not in \(this), "
                         + "so this script would delete them",
                         hint: "give \(this) a stack of its own with --stack NAME, or take the stack over on purpose with --adopt-stack")
    }

    /// Remembers `script` as the stack's script (a store that cannot is left alone).
    static func record(store: any StateStore, stack: String, script: String, stateDirectory: String) throws {
        guard let recording = store as? any StackScriptRecording else { return }
        let mine = relativePath(of: script, from: stateDirectory)
        if try recording.stackScript(stack: stack) != mine { try recording.setStackScript(stack: stack, mine) }
    }

    private static func absoluteComponents(_ path: String) -> [String] {
        let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        return url.standardizedFileURL.pathComponents.filter { $0 != "/" }
    }

    /// A path for messages: relative to the working directory when below it, else absolute.
    private static func display(_ path: String) -> String {
        let parts = absoluteComponents(path), cwd = absoluteComponents(FileManager.default.currentDirectoryPath)
        if parts.count > cwd.count, Array(parts.prefix(cwd.count)) == cwd { return parts.dropFirst(cwd.count).joined(separator: "/") }
        return "/" + parts.joined(separator: "/")
    }

    private static func display(resolving recorded: String, from stateDirectory: String) -> String {
        display(recorded.hasPrefix("/") ? recorded : (stateDirectory as NSString).appendingPathComponent(recorded))
    }
}
