/**
 * The `transforms` resource option (and `pulumi.runtime.registerResourceTransform`) under the mock runtime.
 *
 * In a real deployment the engine runs transforms: the SDK registers each one as a callback and the
 * engine calls it for the resource and every descendant, the resource's own transforms first, then
 * its parent's and so on up, then the stack's (Pulumi docs, "Resource option: transforms"). The SDK's
 * mock monitor has no engine, so it reports transforms unsupported and registering a resource with
 * one throws "The Pulumi CLI does not support transforms". Pulumi's maintainers decided the mock
 * would not run them (pulumi/pulumi#17090), but a plan that leaves them out is not the program the
 * user deploys: this module plays the engine's part, in-process, before the mock sees the request.
 *
 * A transform's result applies its `props` and these options: `ignoreChanges`, `protect`,
 * `retainOnDelete`, `replaceOnChanges`, `deleteBeforeReplace`, `additionalSecretOutputs`, `dependsOn`.
 */
import * as pulumi from "@pulumi/pulumi";
import { dirname } from "path";

/** The request fields a transform reads and writes (`RegisterResourceRequest` of Pulumi's protocol). */
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): unknown;
    setObject(value: unknown): void;
    getTransformsList(): { getToken(): string }[];
    getIgnorechangesList(): string[];
    setIgnorechangesList(value: string[]): void;
    getProtect(): boolean;
    setProtect(value: boolean): void;
    getRetainondelete(): boolean;
    setRetainondelete(value: boolean): void;
    getReplaceonchangesList(): string[];
    setReplaceonchangesList(value: string[]): void;
    getDeletebeforereplace(): boolean;
    setDeletebeforereplace(value: boolean): void;
    setDeletebeforereplacedefined(value: boolean): void;
    getAdditionalsecretoutputsList(): string[];
    setAdditionalsecretoutputsList(value: string[]): void;
    getDependenciesList(): string[];
    setDependenciesList(value: string[]): void;
}

type Callback = (error: unknown, response?: { getUrn(): string }) => void;
type Monitor = Record<string, (req: RegisterRequest, cb: Callback) => unknown>;

/** A module of the SDK's runtime (not part of its typed surface). */
function sdk<T>(path: string): T {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(`@pulumi/pulumi/${path}`) as T;
}

/** google-protobuf's Struct, as the SDK itself resolves it (it is the SDK's dependency, not ours). */
function protobufStruct(): { fromJavaScript(value: unknown): unknown } {
    const sdkDir = dirname(require.resolve("@pulumi/pulumi"));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdkDir] })).Struct;
}

/**
 * Make the mock runtime accept and apply transforms. Call right after `setMocks` (which resets the
 * SDK's callback registry) and after any other wrapping of `monitor.registerResource`: the request
 * is transformed before those wrappers and the mock see it.
 */
export function applyTransformsInMocks(monitor: Monitor): void {
    const rpc = sdk<{
        deserializeProperties(struct: unknown): Record<string, unknown>;
        serializeProperties(label: string, props: Record<string, unknown>): Promise<Record<string, unknown>>;
    }>("runtime/rpc");
    const CallbackMessage = sdk<{ Callback: new () => { setToken(t: string): void; setTarget(t: string): void } }>("proto/callback_pb").Callback;
    const store = sdk<{ getStore(): Record<string, unknown> }>("runtime/state").getStore();

    const registered = new Map<string, pulumi.ResourceTransform>();
    const stackTransforms: pulumi.ResourceTransform[] = [];
    /** Each registered resource's URN → its parent's URN and its own transforms. */
    const tree = new Map<string, { parent: string; own: pulumi.ResourceTransform[] }>();
    let next = 0;

    store.supportsTransforms = true;
    // The SDK asks this registry (else a gRPC callback server the engine would call) for a token per function.
    store.callbacks = {
        async registerTransform(transform: pulumi.ResourceTransform) {
            const token = `plan-transform-${next++}`;
            registered.set(token, transform);
            const callback = new CallbackMessage();
            callback.setToken(token);
            callback.setTarget("plan");
            return callback;
        },
        registerStackTransform(transform: pulumi.ResourceTransform) {
            stackTransforms.push(transform);
        },
        awaitStackRegistrations: () => Promise.resolve(),
        shutdown: () => undefined,
    };

    const chainFor = (req: RegisterRequest): pulumi.ResourceTransform[] => {
        const chain = req.getTransformsList().map((c) => registered.get(c.getToken())!);
        for (let urn = req.getParent(); tree.has(urn); urn = tree.get(urn)!.parent) chain.push(...tree.get(urn)!.own);
        return [...chain, ...stackTransforms];
    };

    const original = monitor.registerResource;
    monitor.registerResource = function (this: unknown, req, cb) {
        const own = req.getTransformsList().map((c) => registered.get(c.getToken())!);
        const noted: Callback = (error, response) => {
            if (!error && response) tree.set(response.getUrn(), { parent: req.getParent(), own });
            cb(error, response);
        };
        const chain = chainFor(req);
        if (chain.length === 0) return original.call(this, req, noted);
        transform(req, chain).then(
            () => original.call(this, req, noted),
            (error: unknown) => cb(new Error(`transform of ${req.getName()} [${req.getType()}] failed: ${String(error)}`)),
        );
        return undefined;
    };

    async function transform(req: RegisterRequest, chain: pulumi.ResourceTransform[]): Promise<void> {
        let props = rpc.deserializeProperties(req.getObject());
        for (const step of chain) {
            const result = await step({
                type: req.getType(),
                name: req.getName(),
                custom: req.getCustom(),
                props,
                opts: optionsOf(req),
            });
            if (result === undefined) continue;
            props = result.props;
            await applyOptions(req, result.opts);
        }
        req.setObject(protobufStruct().fromJavaScript(await rpc.serializeProperties("transform", props)));
    }
}

/** The options a transform sees, as the engine hands them over. */
function optionsOf(req: RegisterRequest): pulumi.CustomResourceOptions {
    return {
        ...(req.getParent() ? { parent: new pulumi.DependencyResource(req.getParent()) } : {}),
        ignoreChanges: req.getIgnorechangesList(),
        protect: req.getProtect(),
        retainOnDelete: req.getRetainondelete(),
        replaceOnChanges: req.getReplaceonchangesList(),
        ...(req.getCustom() ? { deleteBeforeReplace: req.getDeletebeforereplace(), additionalSecretOutputs: req.getAdditionalsecretoutputsList() } : {}),
    };
}

async function applyOptions(req: RegisterRequest, opts: pulumi.CustomResourceOptions | undefined): Promise<void> {
    if (opts === undefined) return;
    if (opts.ignoreChanges !== undefined) req.setIgnorechangesList(opts.ignoreChanges);
    if (opts.protect !== undefined) req.setProtect(opts.protect);
    if (opts.retainOnDelete !== undefined) req.setRetainondelete(opts.retainOnDelete);
    if (opts.replaceOnChanges !== undefined) req.setReplaceonchangesList(opts.replaceOnChanges);
    if (opts.deleteBeforeReplace !== undefined) {
        req.setDeletebeforereplace(opts.deleteBeforeReplace);
        req.setDeletebeforereplacedefined(true);
    }
    if (opts.additionalSecretOutputs !== undefined) req.setAdditionalsecretoutputsList(opts.additionalSecretOutputs);
    if (opts.dependsOn !== undefined) {
        const deps = await resolved(opts.dependsOn as pulumi.Input<unknown>);
        const list = (Array.isArray(deps) ? deps : [deps]) as pulumi.Resource[];
        const urns = await Promise.all(list.map((d) => resolved(d.urn)));
        req.setDependenciesList([...new Set([...req.getDependenciesList(), ...urns])]);
    }
}

function resolved<T>(value: pulumi.Input<T>): Promise<T> {
    return new Promise((resolve) => pulumi.output(value).apply((v) => resolve(v as T)));
}
