// GraphText: the dependency graph of a program as Graphviz DOT or Mermaid.

import ScwCore
import ScwEngine

public enum GraphText {
    /// Edges point from a resource to what it depends on.
    public static func dot(_ program: Program) -> String {
        var lines = ["digraph scwlua {", "  rankdir=BT;", "  node [shape=box, style=rounded, fontname=\"Helvetica\"];"]
        for d in program.declarations {
            lines.append("  \(quote(d.address.description)) [label=\(quote("\(d.address.type)\n\(d.address.name)"))];")
        }
        for d in program.declarations {
            for dep in d.dependencies {
                let explicit = d.dependsOn.contains(dep) && !d.props.values.flatMap(\.references).contains { $0.address == dep }
                lines.append("  \(quote(d.address.description)) -> \(quote(dep.description))\(explicit ? " [style=dashed, label=\"depends_on\"]" : "");")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    public static func mermaid(_ program: Program) -> String {
        var ids: [ResourceAddress: String] = [:]
        for (i, d) in program.declarations.enumerated() { ids[d.address] = "r\(i)" }
        var lines = ["graph BT"]
        for d in program.declarations {
            lines.append("  \(ids[d.address]!)[\"\(d.address.type)<br/>\(d.address.name)\"]")
        }
        for d in program.declarations {
            for dep in d.dependencies {
                guard let to = ids[dep] else { continue }
                let explicit = d.dependsOn.contains(dep) && !d.props.values.flatMap(\.references).contains { $0.address == dep }
                lines.append("  \(ids[d.address]!) \(explicit ? "-.->|depends_on|" : "-->") \(to)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func quote(_ s: String) -> String {
        "\"" + s.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"").replacingAll("\n", with: "\\n") + "\""
    }
}

extension String {
    /// Every occurrence of one character replaced by a string.
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
        return out
    }
}
