// OperationGraph: the plan as operations with ordering edges. Each resource has an `up`
// operation (create, update, record) and/or a `down` one (delete, forget); the edges make
// creates follow what they reference and deletes precede what they depended on.

import ScwCore

struct OperationGraph {
    enum Phase: Int, Comparable {
        case down = 0, up = 1
        static func < (a: Phase, b: Phase) -> Bool { a.rawValue < b.rawValue }
    }

    struct Node: Hashable, Comparable {
        var address: ResourceAddress
        var phase: Phase
        static func < (a: Node, b: Node) -> Bool { (a.address, a.phase.rawValue) < (b.address, b.phase.rawValue) }
    }

    private(set) var nodes: [Node] = []
    private(set) var dependencies: [Node: [Node]] = [:]
    private(set) var dependents: [Node: [Node]] = [:]
    private var changes: [ResourceAddress: PlannedChange] = [:]

    init(plan: Plan) {
        for change in plan.changes { changes[change.address] = change }
        var deps: [Node: Set<Node>] = [:]
        func has(_ n: Node) -> Bool { deps[n] != nil }

        for change in plan.changes {
            let addr = change.address
            if change.declaration != nil { deps[Node(address: addr, phase: .up)] = [] }
            switch change.action {
            case .delete, .forget, .replace, .createThenDelete:
                deps[Node(address: addr, phase: .down)] = []
            case .stateOnly where change.declaration == nil:
                deps[Node(address: addr, phase: .down)] = []
            default: break
            }
        }

        for change in plan.changes {
            let addr = change.address
            let up = Node(address: addr, phase: .up), down = Node(address: addr, phase: .down)
            if has(up), let decl = change.declaration {
                for d in decl.dependencies where has(Node(address: d, phase: .up)) { deps[up]!.insert(Node(address: d, phase: .up)) }
                if change.action == .replace, has(down) { deps[up]!.insert(down) }
            }
            guard has(down) else { continue }
            if change.action == .createThenDelete { deps[down]!.insert(up) }
            // Whatever depended on this resource goes first: deleted, or moved off it.
            // (A `~deposed` row is the old half of `addr`'s live name: what used that name may use it.)
            let live = Refresher.liveAddress(of: addr)
            for other in plan.changes where other.prior?.dependencies.contains(live) == true {
                let otherDown = Node(address: other.address, phase: .down)
                let otherUp = Node(address: other.address, phase: .up)
                // An old half deposed by create-before-destroy still uses this one until it is deleted
                // (unless this one goes first, as a plain replace: that would be a cycle).
                let otherOldHalfFirst = other.action == .createThenDelete && change.action != .replace
                if has(otherDown), [.delete, .forget, .replace, .stateOnly].contains(other.action) || otherOldHalfFirst {
                    deps[down]!.insert(otherDown)
                } else if has(otherUp), change.action != .replace, other.action != .noop {
                    deps[down]!.insert(otherUp)
                }
            }
        }

        nodes = deps.keys.sorted()
        for (n, ds) in deps {
            dependencies[n] = ds.sorted()
            for d in ds { dependents[d, default: []].append(n) }
        }
    }

    func change(_ node: Node) -> PlannedChange { changes[node.address]! }

    /// Whether this node finishes its resource's action (the second half of a replacement,
    /// or the only half).
    func isLast(_ node: Node) -> Bool {
        let other = Node(address: node.address, phase: node.phase == .up ? .down : .up)
        guard dependencies[other] != nil else { return true }
        let action = change(node).action
        if action == .createThenDelete { return node.phase == .down }
        return node.phase == .up
    }
}
