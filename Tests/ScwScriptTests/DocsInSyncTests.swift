import XCTest
import ScwLua
import ScwRender

/// docs/resources.md is generated from the schemas the validator uses; it must not drift.
final class DocsInSyncTests: XCTestCase {
    func testResourceReferenceMatchesSchemas() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let committed = try String(contentsOf: root.appendingPathComponent("docs/resources.md"), encoding: .utf8)
        XCTAssertEqual(committed, DocsText.markdown(ScwLuaInfo.schemas),
                       "docs/resources.md is stale: regenerate it with `scwlua docs --markdown > docs/resources.md`")
    }

    func testEveryPropAndOutputIsDocumented() {
        let text = DocsText.markdown(ScwLuaInfo.schemas)
        for schema in ScwLuaInfo.schemas {
            XCTAssertTrue(text.contains("## \(schema.typeName)"))
            for p in schema.props { XCTAssertTrue(text.contains("| `\(p.name)` |"), "\(schema.typeName).\(p.name)") }
            for o in schema.outputs { XCTAssertTrue(text.contains("| `\(o.name)` |"), "\(schema.typeName).\(o.name)") }
        }
    }
}
