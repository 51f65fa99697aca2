// What the recordings (Tests/Fixtures/cassettes/instance-*.jsonl) show of Scaleway's public
// images: the id the marketplace answers for a label, zone, arch and volume kind, and, for the
// images a server was recorded being made from, the root snapshot id and the image's date.
// Public image ids are stable on Scaleway, so the emulator answers with these exact ids: a
// script or a user naming an image by its recorded id gets the same image as from Scaleway.

extension InstanceImages {
    /// One recorded public image.
    struct Recorded: Sendable {
        let id: String
        let snapshotID: String?
        let creationDate: String?

        init(_ id: String, snapshotID: String? = nil, creationDate: String? = nil) {
            self.id = id
            self.snapshotID = snapshotID
            self.creationDate = creationDate
        }
    }

    /// By `label/zone/arch/type`. Sources: the marketplace `local-images` answers of
    /// instance-server-ips.jsonl (ubuntu_jammy) and instance-server-minimal.jsonl (ubuntu_focal),
    /// and the `image` object of the servers those cassettes create.
    static let recorded: [String: Recorded] = [
        "ubuntu_jammy/fr-par-1/x86_64/instance_sbs": Recorded("4481c662-2357-432f-b0fd-dd6470c08c49",
                                                             snapshotID: "c75ef419-9a29-4fda-bd73-5de42af425b0",
                                                             creationDate: "2026-05-12T15:06:26.845576+00:00"),
        "ubuntu_jammy/fr-par-1/arm64/instance_sbs": Recorded("7f1fb616-173d-4dfa-8414-92798704fc60"),
        "ubuntu_focal/fr-par-1/x86_64/instance_sbs": Recorded("fc4d4e26-849d-4e03-b933-cb1626ca8cad",
                                                             snapshotID: "dacec4bb-03fd-4723-ac85-7d8ca6ca83a7",
                                                             creationDate: "2026-05-12T15:20:10.934226+00:00"),
        "ubuntu_focal/fr-par-1/arm64/instance_sbs": Recorded("516875a2-40bd-487a-bd5c-052b61f248a1"),
    ]
}
