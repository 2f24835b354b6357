// The policy pack Pulumi runs (`pulumi preview --policy-pack <this folder>`): the library's
// compiled policies (build/, which every install has), served by @pulumi/policy.
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports */
const { PolicyPack } = require("@pulumi/policy");
const { MATOMO_POLICIES } = require("../build/lib/policy");

new PolicyPack("pulumi-matomo-aws", { policies: MATOMO_POLICIES, provider: "aws" });
