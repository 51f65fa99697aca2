// Graph: dependency ordering over resource addresses, with cycle detection.

import ScwCore

public struct DependencyGraph: Sendable {
    /// node → the nodes it depends on.
    public private(set) var edges: [ResourceAddress: [ResourceAddress]]

    public init(edges: [ResourceAddress: [ResourceAddress]]) {
        self.edges = edges
    }

    public var nodes: [ResourceAddress] { edges.keys.sorted() }

    /// Nodes that depend on `node` directly.
    public func dependents(of node: ResourceAddress) -> [ResourceAddress] {
        edges.filter { $0.value.contains(node) }.map(\.key).sorted()
    }

    /// Every node that depends on `node`, directly or not.
    public func transitiveDependents(of node: ResourceAddress) -> Set<ResourceAddress> {
        var out = Set<ResourceAddress>()
        var stack = [node]
        let reverse = reversed()
        while let n = stack.popLast() {
            for d in reverse[n] ?? [] where out.insert(d).inserted { stack.append(d) }
        }
        return out
    }

    func reversed() -> [ResourceAddress: [ResourceAddress]] {
        var r: [ResourceAddress: [ResourceAddress]] = [:]
        for (n, deps) in edges { for d in deps { r[d, default: []].append(n) } }
        return r
    }

    /// Dependencies first; ties broken by address so the order is stable.
    /// Throws a `Diagnostic` naming the cycle when there is one.
    public func topologicalOrder() throws -> [ResourceAddress] {
        var state: [ResourceAddress: Int] = [:]   // 1 visiting, 2 done
        var order: [ResourceAddress] = []
        var path: [ResourceAddress] = []
        func visit(_ n: ResourceAddress) throws {
            if state[n] == 2 { return }
            if state[n] == 1 {
                let start = path.firstIndex(of: n) ?? 0
                let cycle = (path[start...] + [n]).map(\.description).joined(separator: " -> ")
                throw Diagnostic("dependency cycle: \(cycle)", hint: "break it by removing a reference or a depends_on entry")
            }
            state[n] = 1
            path.append(n)
            for d in (edges[n] ?? []).sorted() where edges[d] != nil { try visit(d) }
            path.removeLast()
            state[n] = 2
            order.append(n)
        }
        for n in nodes { try visit(n) }
        return order
    }
}
