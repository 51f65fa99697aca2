import XCTest
import ScwCore
import ScwEngine
import ScwRender

final class GraphTextTests: XCTestCase {
    func testDotAndMermaidShowReferenceAndExplicitEdges() throws {
        let (_, program) = try runScript("""
        local scw = require "scaleway"
        local vpc = scw.Vpc "main" {}
        local a = scw.VpcPrivateNetwork "a" { vpc = vpc }
        scw.VpcPrivateNetwork "b" { depends_on = { a } }
        """)
        let dot = GraphText.dot(program)
        XCTAssertTrue(dot.contains("\"VpcPrivateNetwork/a\" -> \"Vpc/main\";"), dot)
        XCTAssertTrue(dot.contains("\"VpcPrivateNetwork/b\" -> \"VpcPrivateNetwork/a\" [style=dashed, label=\"depends_on\"];"), dot)
        let mermaid = GraphText.mermaid(program)
        XCTAssertTrue(mermaid.hasPrefix("graph BT"), mermaid)
        XCTAssertTrue(mermaid.contains("r1 --> r0"), mermaid)
        XCTAssertTrue(mermaid.contains("r2 -.->|depends_on| r1"), mermaid)
    }
}
