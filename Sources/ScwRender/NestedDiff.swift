// NestedDiff: a change inside a table or a list of tables, as a reviewer reads it: one line per
// changed field (`~ rules[2].port: 80 -> 8080`), added and removed items (`+ rules[4] {…}`,
// `- rules[1] {…}`), and the items that did not change collapsed to a count. List items are
// numbered from 1, as in Lua: a changed or removed item by its old place, an added one by its new.

import ScwCore

enum NestedDiff {
    /// Whether a change of `old` to `new` reads better item by item than as one line.
    static func applies(old: Value, new: Value, lineWidth: Int) -> Bool {
        guard comparable(old), comparable(new) else { return false }
        switch (old, new) {
        case (.list(let a), .list(let b)):
            let nested = (a + b).contains { if case .map = $0 { return true }; if case .list = $0 { return true }; return false }
            return nested || ValueText.render(old).count + ValueText.render(new).count > lineWidth
        case (.map, .map): return true
        default: return false
        }
    }

    /// The lines for `path` going from `old` to `new` (both lists or both maps), unindented.
    static func lines(path: String, old: Value, new: Value) -> [String] {
        switch (old, new) {
        case (.list(let a), .list(let b)): return listLines(path: path, old: a, new: b)
        case (.map(let a), .map(let b)): return mapLines(path: path, old: a, new: b)
        default: return ["~ \(path): \(ValueText.render(old)) -> \(ValueText.render(new))"]
        }
    }

    /// Values whose parts can be compared one by one: no unknown, no secret at the top.
    private static func comparable(_ v: Value) -> Bool {
        switch v {
        case .list, .map: return !v.containsUnknown
        default: return false
        }
    }

    private static func same(_ a: Value, _ b: Value) -> Bool { !a.containsUnknown && !b.containsUnknown && a.revealed == b.revealed }

    private static func itemLines(_ path: String, old: Value, new: Value) -> [String] {
        if same(old, new) { return [] }
        switch (old, new) {
        case (.list, .list), (.map, .map):
            if comparable(old), comparable(new) { return lines(path: path, old: old, new: new) }
        default: break
        }
        return ["~ \(path): \(ValueText.render(old)) -> \(ValueText.render(new))"]
    }

    private static func mapLines(path: String, old: [String: Value], new: [String: Value]) -> [String] {
        var out: [String] = []
        for key in Set(old.keys).union(new.keys).sorted() {
            let sub = path + "." + key
            switch (old[key], new[key]) {
            case (let a?, let b?): out += itemLines(sub, old: a, new: b)
            case (nil, let b?): out += block("+ \(sub) =", b)
            case (let a?, nil): out += block("- \(sub) =", a)
            default: break
            }
        }
        return out
    }

    /// Items kept in order (a longest common subsequence of equal items) anchor the diff;
    /// between two anchors, removed and added items that share fields are paired up as changed
    /// items, and what is left over is added or removed. A changed or removed item is named by
    /// its place in the old list (as state has it), an added one by its place in the new list.
    private static func listLines(path: String, old: [Value], new: [Value]) -> [String] {
        let anchors = commonItems(old, new)
        var out: [String] = []
        var unchanged = 0
        var i = 0, j = 0
        for (ai, bj) in anchors + [(old.count, new.count)] {
            let removed = Array(i..<ai), added = Array(j..<bj)
            let pairs = similarPairs(removed.map { old[$0] }, added.map { new[$0] })
            var r = 0, a = 0
            for (pr, pa) in pairs + [(removed.count, added.count)] {
                while r < pr { out += block("- \(path)[\(removed[r] + 1)]", old[removed[r]]); r += 1 }
                while a < pa { out += block("+ \(path)[\(added[a] + 1)]", new[added[a]]); a += 1 }
                if pr < removed.count {
                    out += itemLines("\(path)[\(removed[pr] + 1)]", old: old[removed[pr]], new: new[added[pa]])
                    r += 1
                    a += 1
                }
            }
            if ai < old.count { unchanged += 1 }
            i = ai + 1
            j = bj + 1
        }
        if unchanged > 0 { out.append("# \(path): \(unchanged) unchanged item\(unchanged == 1 ? "" : "s")") }
        return out
    }

    /// Order-keeping pairs of items that share the most fields (tables) or are both scalars.
    private static func similarPairs(_ a: [Value], _ b: [Value]) -> [(Int, Int)] {
        guard !a.isEmpty, !b.isEmpty, a.count * b.count <= 10_000 else { return [] }
        func score(_ x: Value, _ y: Value) -> Int {
            switch (x, y) {
            case (.map(let m), .map(let n)):
                // Items that differ in more fields than they share read better as removed and added.
                let shared = m.keys.filter { k in n[k].map { same(m[k]!, $0) } ?? false }.count
                return shared * 2 >= Set(m.keys).union(n.keys).count ? shared : 0
            case (.map, _), (_, .map), (.list, _), (_, .list): return 0
            default: return 1
            }
        }
        var best = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for x in stride(from: a.count - 1, through: 0, by: -1) {
            for y in stride(from: b.count - 1, through: 0, by: -1) {
                let s = score(a[x], b[y])
                best[x][y] = max(best[x + 1][y], best[x][y + 1], s > 0 ? s + best[x + 1][y + 1] : 0)
            }
        }
        var out: [(Int, Int)] = []
        var x = 0, y = 0
        while x < a.count, y < b.count {
            let s = score(a[x], b[y])
            if s > 0, best[x][y] == s + best[x + 1][y + 1] { out.append((x, y)); x += 1; y += 1 }
            else if best[x + 1][y] >= best[x][y + 1] { x += 1 }
            else { y += 1 }
        }
        return out
    }

    /// Index pairs of equal items, in order (classic LCS; lists here are short).
    private static func commonItems(_ a: [Value], _ b: [Value]) -> [(Int, Int)] {
        guard !a.isEmpty, !b.isEmpty, a.count * b.count <= 250_000 else { return [] }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for x in stride(from: a.count - 1, through: 0, by: -1) {
            for y in stride(from: b.count - 1, through: 0, by: -1) {
                table[x][y] = same(a[x], b[y]) ? table[x + 1][y + 1] + 1 : max(table[x + 1][y], table[x][y + 1])
            }
        }
        var out: [(Int, Int)] = []
        var x = 0, y = 0
        while x < a.count, y < b.count {
            if same(a[x], b[y]) { out.append((x, y)); x += 1; y += 1 }
            else if table[x + 1][y] >= table[x][y + 1] { x += 1 }
            else { y += 1 }
        }
        return out
    }

    /// `head value`, the value on its own lines when it is long.
    private static func block(_ head: String, _ value: Value) -> [String] {
        let lines = ValueText.block(value, width: 100)
        return [head + " " + lines[0]] + lines.dropFirst().map { "  " + $0 }
    }
}
