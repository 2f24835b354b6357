"""Matomo's load-balanced layout on AWS, from Python.

The SDK is the one `pulumi package add` generates from this package's schema (schema.json):
its module is `pulumi_pulumi_matomo_aws` (Pulumi's Python generator prefixes `pulumi_` to the
package name `pulumi-matomo-aws`), its classes the components (`MatomoCluster`, `Network`, ...)
and their argument types (`SuperUserArgs`, `ClusterNetworkArgs`, ...), its argument names the
schema's in snake_case, its enum members upper case (`Preset.SMALL`). Values are checked by the same rules as in TypeScript.
"""
import pulumi
import pulumi_pulumi_matomo_aws as matomo

config = pulumi.Config("matomo")

cluster = matomo.MatomoCluster(
    "matomo",
    domain=config.require("domain"),
    hosted_zone_id=config.require("hostedZoneId"),
    preset=matomo.Preset.SMALL,
    super_user=matomo.SuperUserArgs(email=config.require("superUserEmail")),
    network=matomo.ClusterNetworkArgs(nat_gateways=matomo.NatGatewayStrategy.SINGLE),
    database=matomo.ClusterDatabaseArgs(backup_retention_days=7, deletion_protection=True),
    trackers=matomo.TrackerGroupArgs(min_size=2, max_size=4, target_cpu_utilization=60),
    archiving=matomo.ArchivingArgs(schedule="5 * * * *", force_periods=[matomo.ArchivePeriod.DAY, matomo.ArchivePeriod.WEEK, matomo.ArchivePeriod.MONTH]),
    extra_config={"General": {"contact_email_address": config.require("superUserEmail")}},
    extra_config_lists={"General": {"login_allowlist_ip": ["10.0.0.0/8"]}},
    tags={"team": "analytics"},
)

pulumi.export("url", cluster.url)
pulumi.export("load_balancer_dns_name", cluster.load_balancer_dns_name)
pulumi.export("config_sha256", cluster.config_sha256)
pulumi.export("nat_gateway_public_ips", cluster.nat_gateway_public_ips)
