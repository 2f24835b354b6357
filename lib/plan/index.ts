/**
 * `pulumi-matomo-aws/plan`: plan a Pulumi program offline, with no AWS account and no Pulumi CLI.
 *
 * The program runs under Pulumi's mock runtime (`mockRuntime.ts`), which answers every resource
 * and data-source call as AWS would; the planned graph is then checked against the AWS limits the
 * library knows (`awsLimits.ts`). Our own `npm run plan` is this module applied to an example;
 * users apply it to their own program:
 *
 *     import { planProgram } from "pulumi-matomo-aws/plan";
 *     const plan = await planProgram(() => require("./index"), { project: "web", config: { "matomo:domain": "a.example.com" } });
 *     if (plan.violations.length > 0) throw new Error(plan.violations.map(formatViolation).join("\n"));
 *
 * @module pulumi-matomo-aws/plan
 */
import { checkAwsLimits, type Violation } from "../model/awsLimits";
import { installMockRuntime, MOCK_PROJECT, redactSecrets, type MockOptions, type RecordedResource } from "./mockRuntime";
import { withoutPromiseStacks } from "./promiseStacks";
import { runProgram } from "./run";

export { AWS_LIMIT_RULES, checkAwsLimits, formatViolation, type AwsLimitRule, type PlannedResource, type Violation } from "../model/awsLimits";
export {
    installMockRuntime,
    settle,
    valueOf,
    redactSecrets,
    MOCK_ACCOUNT,
    MOCK_PROJECT,
    MOCK_REGION,
    MOCK_STACK,
    type MockOptions,
    type MockRuntime,
    type RecordedResource,
} from "./mockRuntime";
export { PlanFailedError, type FailureWatch, type PlanFailure, type UnsentRegistration } from "./failures";
export { diffPlans, type ChangedResource, type GroupRoll, type InputChange, type PlanDiff, type ResourceRef, type RollCause } from "./diff";
export { renderDiff, type DiffHeader } from "./diffReport";
export { applyConfigSets, parseConfigSet, type ConfigSet } from "./configSet";
export {
    costOf,
    DEFAULT_USAGE,
    type CostLine,
    type CostReport,
    type NotPriced,
    type Price,
    type PriceBasis,
    type PriceTable,
    type TypeCount,
    type UsageAssumptions,
} from "./cost";
export { renderCost, type CostSection } from "./costReport";
export { US_EAST_1 } from "./prices/us-east-1";

/** How `planProgram` runs a program. */
export interface PlanOptions {
    /** Stack config as `namespace:key` → value (structured values as JSON text, as the Pulumi CLI hands them over). Default none. */
    config?: Record<string, string>;
    /** The Pulumi project name the program sees. Default `matomo`. */
    project?: string;
    /** What the mocked account looks like (see `MockOptions`). */
    mock?: MockOptions;
}

/** A planned resource with its secret inputs replaced by `"[secret]"`. */
export interface PlanEntry {
    /** Pulumi type token, e.g. `aws:rds/instance:Instance`. */
    type: string;
    /** Logical name. */
    name: string;
    /** Logical name of the parent resource; null for top-level resources. */
    parent: string | null;
    /** Inputs with SDK (camelCase) names, secrets as `"[secret]"`. */
    inputs: Record<string, unknown>;
}

/** What `planProgram` returns: the planned graph, the program's exports and the AWS limits it breaks. */
export interface Plan {
    /** Every resource the program registered, in registration order, secrets redacted. */
    resources: PlanEntry[];
    /** The program's exports, resolved (secrets still wrapped: redact before printing). */
    outputs: Record<string, unknown>;
    /** Every AWS limit the graph breaks; empty when AWS would accept it as far as the library knows. */
    violations: Violation[];
    /** The raw recording, with the computed outputs the mock returned (for tests and tools). */
    recorded: RecordedResource[];
}

/**
 * Run `program` under the mock runtime and return the graph it builds. `program` is called once
 * after the mocks are installed; it may return the module's exports (e.g. `() => require("./index")`)
 * or a promise of them, like a Pulumi program's entry point. A module Node has already loaded does
 * not run again: to plan the same program twice in one process, delete it from `require.cache` first.
 * Rejects with a `PlanFailedError` where `pulumi up` would stop: a registration the SDK dropped (an
 * input's apply threw) or the mocks refused, an export that rejects or can never resolve, an
 * unanswered provider function, an unhandled rejection; the error names each resource or export.
 * While it runs, the SDK keeps no stack trace per promise it tracks (`promiseStacks.ts`).
 */
export async function planProgram(program: () => unknown, options: PlanOptions = {}): Promise<Plan> {
    const runtime = installMockRuntime(options.config ?? {}, options.project ?? MOCK_PROJECT, options.mock ?? {});
    // A failed registration or an unanswered invoke leaves Outputs that never resolve: the run fails naming it instead of waiting.
    const outputs = await withoutPromiseStacks(() => runProgram(program, runtime.failures));
    const resources = runtime.resources.map((r) => ({
        type: r.type,
        name: r.name,
        parent: r.parent ?? null,
        inputs: redactSecrets(r.inputs) as Record<string, unknown>,
    }));
    return { resources, outputs, violations: checkAwsLimits(resources), recorded: runtime.resources };
}
