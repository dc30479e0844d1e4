/**
 * What the AWS provider itself accepts in a stack's `aws:` namespace, read from the installed
 * `@pulumi/aws` so the lists move with the provider version the projects pin.
 */
import { Region } from "@pulumi/aws/types/enums";
import * as providerConfig from "@pulumi/aws/config/vars";

/**
 * Regions of the `aws` partition, the one every ARN this project builds names (`arn:aws:`).
 * The provider's Region list also holds the China, GovCloud, ISO and European Sovereign Cloud
 * partitions; their regions have their own prefixes (`cn-`, `us-gov-`, `us-iso`, `eusc-`, `-isoe-`),
 * which AWS's own partition pattern for `aws` (`^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$`) excludes.
 */
const AWS_PARTITION_REGION = /^(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d+$/;
export const AWS_REGIONS: readonly string[] = Object.values(Region)
  .filter((r) => AWS_PARTITION_REGION.test(r))
  .sort();

/** Every key the provider reads from its config namespace (`aws:<key>`), e.g. `region`, `allowedAccountIds`. */
export const AWS_PROVIDER_KEYS: readonly string[] = Object.keys(providerConfig).sort();
