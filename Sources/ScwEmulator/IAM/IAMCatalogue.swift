// IAM catalogue: the permission sets policies may grant (with their scope) and the account's
// users. Both are fixed in the emulator, so they are served from here rather than the store.

extension IAMService {
    struct PermissionSet {
        let name: String
        /// `projects` (granted on projects or a whole organization) or `organization` (organization only).
        let scope: String
        let category: String
        let description: String
    }

    static let permissionSets: [PermissionSet] = [
        PermissionSet(name: "AllProductsFullAccess", scope: "projects", category: "Full access", description: "Full access to all products in the projects."),
        PermissionSet(name: "AllProductsReadOnly", scope: "projects", category: "Read only", description: "Read access to all products in the projects."),
        PermissionSet(name: "ObjectStorageFullAccess", scope: "projects", category: "Storage", description: "Full access to Object Storage buckets and objects."),
        PermissionSet(name: "ObjectStorageReadOnly", scope: "projects", category: "Storage", description: "Read access to Object Storage buckets and objects."),
        PermissionSet(name: "ObjectStorageObjectsRead", scope: "projects", category: "Storage", description: "Read objects in Object Storage buckets."),
        PermissionSet(name: "ObjectStorageObjectsWrite", scope: "projects", category: "Storage", description: "Write objects in Object Storage buckets."),
        PermissionSet(name: "BlockStorageFullAccess", scope: "projects", category: "Storage", description: "Full access to Block Storage."),
        PermissionSet(name: "InstancesFullAccess", scope: "projects", category: "Compute", description: "Full access to Instances."),
        PermissionSet(name: "InstancesReadOnly", scope: "projects", category: "Compute", description: "Read access to Instances."),
        PermissionSet(name: "KubernetesFullAccess", scope: "projects", category: "Containers", description: "Full access to Kubernetes Kapsule."),
        PermissionSet(name: "ContainerRegistryFullAccess", scope: "projects", category: "Containers", description: "Full access to Container Registry."),
        PermissionSet(name: "ServerlessFullAccess", scope: "projects", category: "Serverless", description: "Full access to Functions and Containers."),
        PermissionSet(name: "RelationalDatabasesFullAccess", scope: "projects", category: "Databases", description: "Full access to Managed Databases."),
        PermissionSet(name: "LoadBalancersFullAccess", scope: "projects", category: "Network", description: "Full access to Load Balancers."),
        PermissionSet(name: "VPCFullAccess", scope: "projects", category: "Network", description: "Full access to VPCs."),
        PermissionSet(name: "PrivateNetworksFullAccess", scope: "projects", category: "Network", description: "Full access to Private Networks."),
        PermissionSet(name: "DomainsDNSFullAccess", scope: "projects", category: "Network", description: "Full access to domains and DNS zones."),
        PermissionSet(name: "DomainsDNSReadOnly", scope: "projects", category: "Network", description: "Read access to domains and DNS zones."),
        PermissionSet(name: "SecretManagerFullAccess", scope: "projects", category: "Security", description: "Full access to Secret Manager."),
        PermissionSet(name: "SSHKeysFullAccess", scope: "projects", category: "Security", description: "Full access to SSH keys."),
        PermissionSet(name: "ProjectManager", scope: "organization", category: "Organization", description: "Create and manage projects."),
        PermissionSet(name: "IAMManager", scope: "organization", category: "Organization", description: "Manage IAM users, applications, groups, policies and API keys."),
        PermissionSet(name: "IAMReadOnly", scope: "organization", category: "Organization", description: "Read IAM users, applications, groups, policies and API keys."),
        PermissionSet(name: "OrganizationReadOnly", scope: "organization", category: "Organization", description: "Read the organization's information."),
        PermissionSet(name: "BillingManager", scope: "organization", category: "Billing", description: "Manage billing and payment methods."),
    ]

    /// A stable id per permission set (its position).
    static func permissionSetID(_ index: Int) -> String {
        let hex = String(index + 1, radix: 16)
        return "5e7a0000-0000-4000-8000-" + String(repeating: "0", count: 12 - hex.count) + hex
    }

    func listPermissionSets(_ request: APIRequest) throws -> HTTPResponse {
        let page = try ListQuery.page(request)
        var items: [JSONValue] = IAMService.permissionSets.enumerated().map { index, set in
            .object(["id": .string(IAMService.permissionSetID(index)), "name": .string(set.name), "scope_type": .string(set.scope),
                     "description": .string(set.description), "categories": .array([.string(set.category)])])
        }
        if ListQuery.string(request, "order_by") == "name_desc" {
            items.sort { ($0["name"]?.stringValue ?? "") > ($1["name"]?.stringValue ?? "") }
        } else if ListQuery.string(request, "order_by") == "name_asc" {
            items.sort { ($0["name"]?.stringValue ?? "") < ($1["name"]?.stringValue ?? "") }
        }
        return ListQuery.bodyPage("permission_sets", items, page)
    }

    /// The account owner (the only user of the emulated organization).
    static let ownerID = "0a0a0a0a-0000-4000-8000-00000000cafe"

    static func users(organization: String) -> [[String: JSONValue]] {
        [[
            "id": .string(ownerID), "email": .string("owner@scwlua.local"), "username": .string("owner"),
            "first_name": .string("Local"), "last_name": .string("Owner"), "phone_number": .string(""), "locale": .string("en_US"),
            "created_at": .string("2026-01-01T00:00:00.000000Z"), "updated_at": .string("2026-01-01T00:00:00.000000Z"),
            "organization_id": .string(organization), "deletable": .bool(false), "last_login_at": .null, "type": .string("owner"),
            "two_factor_enabled": .bool(false), "status": .string("activated"), "mfa": .bool(false),
            "account_root_user_id": .string(ownerID), "tags": .array([]), "locked": .bool(false),
        ]]
    }

    /// A user of the emulated organization, or the API's 404.
    static func user(_ id: String) throws -> [String: JSONValue] {
        guard let user = users(organization: ServiceContext.emulatorProjectID).first(where: { $0["id"]?.stringValue == id }) else {
            throw APIError.notFound(resource: "user", id: id)
        }
        return user
    }

    func listUsers(_ request: APIRequest) throws -> HTTPResponse {
        let page = try ListQuery.page(request)
        let organization = ListQuery.string(request, "organization_id")
        let ids = ListQuery.strings(request, "user_ids").map(Set.init)
        let items = IAMService.users(organization: organizationID).filter { user in
            (organization == nil || user["organization_id"]?.stringValue == organization)
                && (ids == nil || ids!.contains(user["id"]?.stringValue ?? ""))
        }.map(JSONValue.object)
        return ListQuery.bodyPage("users", items, page)
    }

    func getUser(_ request: APIRequest) throws -> HTTPResponse {
        .json(200, .object(try IAMService.user(request.param("id"))))
    }
}
