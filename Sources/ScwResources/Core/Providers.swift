// Providers: every resource type this build knows, wired to one Scaleway environment.

import ScwCore
import ScwEngine

public enum Providers {
    /// The schemas alone (for validation and docs), without any environment.
    public static let schemas: [ResourceSchema] = [VpcResource.schema, VpcPrivateNetworkResource.schema, BucketResource.schema,
                                                    InstanceServerResource.schema, InstanceIpResource.schema, InstanceVolumeResource.schema,
                                                    SecurityGroupResource.schema,
                                                    RdbInstanceResource.schema, RdbDatabaseResource.schema, RdbUserResource.schema, RdbPrivilegeResource.schema, RdbAclResource.schema,
                                                    IamApplicationResource.schema, IamApiKeyResource.schema, IamPolicyResource.schema,
                                                    IamSshKeyResource.schema, DomainZoneResource.schema, DomainRecordResource.schema,
                                                    LbIpResource.schema, LoadBalancerResource.schema, LbBackendResource.schema, LbFrontendResource.schema, LbCertificateResource.schema,
                                                    K8sClusterResource.schema, K8sPoolResource.schema,
                                                    FunctionNamespaceResource.schema, FunctionResource.schema, FunctionCronResource.schema, ContainerNamespaceResource.schema, ContainerResource.schema, RegistryNamespaceResource.schema]

    /// Types that can only be looked up (`scw.lookup.Image`).
    public static let lookupSchemas: [ResourceSchema] = [ImageLookup.schema]

    public static func registry(env: ScalewayEnvironment) -> ProviderRegistry {
        ProviderRegistry([VpcResource(env: env), VpcPrivateNetworkResource(env: env), BucketResource(env: env),
                          InstanceServerResource(env: env), InstanceIpResource(env: env), InstanceVolumeResource(env: env),
                          SecurityGroupResource(env: env),
                          RdbInstanceResource(env: env), RdbDatabaseResource(env: env), RdbUserResource(env: env), RdbPrivilegeResource(env: env), RdbAclResource(env: env),
                          IamApplicationResource(env: env), IamApiKeyResource(env: env), IamPolicyResource(env: env),
                          IamSshKeyResource(env: env), DomainZoneResource(env: env), DomainRecordResource(env: env),
                          LbIpResource(env: env), LoadBalancerResource(env: env), LbBackendResource(env: env), LbFrontendResource(env: env), LbCertificateResource(env: env),
                          K8sClusterResource(env: env), K8sPoolResource(env: env),
                          FunctionNamespaceResource(env: env), FunctionResource(env: env), FunctionCronResource(env: env), ContainerNamespaceResource(env: env), ContainerResource(env: env), RegistryNamespaceResource(env: env)], lookups: [ImageLookup(env: env)])
    }
}
