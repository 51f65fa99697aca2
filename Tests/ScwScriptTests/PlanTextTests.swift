// PlanTextTests: the rendered plan as a reviewer reads it: nested changes item by item, a
// disruptive update flagged and counted, one `error:` style, and a failure naming its
// resource once.

import ScwCore
import ScwEngine
import ScwRender
import XCTest

final class PlanTextTests: XCTestCase {
    let web = ResourceAddress(type: "Instance", name: "web")

    func testNestedTableChangesAreShownFieldByField() {
        let old: Value = .map(["size": .int(20), "volume_type": .string("sbs_volume")])
        let new: Value = .map(["size": .int(40), "volume_type": .string("sbs_volume"), "delete_on_termination": .bool(false)])
        let change = PlannedChange(address: web, action: .update,
                                   changes: [PropChange(name: "root_volume", old: old, new: new, forcesReplacement: false)])
        let text = PlanText.render(Plan(stack: "default", changes: [change], outputs: [:]))
        XCTAssertTrue(text.contains("      ~ root_volume.size: 20 -> 40\n"), text)
        XCTAssertTrue(text.contains("      + root_volume.delete_on_termination = false\n"), text)
        XCTAssertFalse(text.contains("volume_type"), "an unchanged field is not repeated: \(text)")
    }

    func testDisruptiveUpdatesAreFlaggedAndCountedAndErrorsHaveOneStyle() {
        let change = PlannedChange(address: web, action: .update, changes: [
            PropChange(name: "type", old: .string("DEV1-S"), new: .string("DEV1-M"), forcesReplacement: false,
                       disruption: "the server stops and starts"),
        ])
        let plan = Plan(stack: "default", changes: [change], outputs: [:], errors: [Diagnostic("something is wrong")])
        let text = PlanText.render(plan)
        XCTAssertTrue(text.contains("type = \"DEV1-S\" -> \"DEV1-M\"  # the server stops and starts"), text)
        XCTAssertTrue(text.contains("Plan: 0 to create, 1 to update (1 disruptive), 0 to replace, 0 to delete."), text)
        XCTAssertTrue(text.contains("error: something is wrong"), text)
        XCTAssertFalse(text.contains("Error:"), text)
    }

    func testAFailureNamesItsResourceOnce() {
        let line = ProgressText.line(.failed(web, .create, error: OperationError(
            address: web, action: .create, message: "Instance/web: private_networks fr-par/x is in region fr-par, not in nl-ams")))
        XCTAssertEqual(line, "✗ Instance/web: create failed: private_networks fr-par/x is in region fr-par, not in nl-ams")
    }
}
