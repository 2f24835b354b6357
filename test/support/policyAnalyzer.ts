/**
 * Talks to a policy pack the way the Pulumi CLI does during `pulumi preview --policy-pack DIR`:
 * starts the pack's program with DIR as working directory, reads the gRPC port it prints, and
 * calls the Analyzer service (pulumirpc.Analyzer, the protocol in @pulumi/pulumi's proto/).
 */
import { spawn, type ChildProcess } from "child_process";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(value: Record<string, unknown>): unknown } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Empty } = require("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => unknown };

export interface Diagnostic {
    policy: string;
    message: string;
    mandatory: boolean;
}

export interface AnalyzedResource {
    type: string;
    name: string;
    props: Record<string, unknown>;
}

export interface RunningPack {
    policyNames(): Promise<string[]>;
    analyze(resource: AnalyzedResource): Promise<Diagnostic[]>;
    analyzeStack(resources: AnalyzedResource[]): Promise<Diagnostic[]>;
    stop(): void;
}

const urn = (r: AnalyzedResource) => `urn:pulumi:dev::shop::${r.type}::${r.name}`;

function diagnostics(response: analyzer.AnalyzeResponse): Diagnostic[] {
    return response
        .getDiagnosticsList()
        .map((d) => ({ policy: d.getPolicyname(), message: d.getMessage(), mandatory: d.getEnforcementlevel() === analyzer.EnforcementLevel.MANDATORY }));
}

/** Start the pack in `dir` with `node index.js` (its package.json's main), as the CLI's Node.js host does. */
export async function startPolicyPack(dir: string): Promise<RunningPack> {
    const child: ChildProcess = spawn(process.execPath, ["index.js"], {
        cwd: dir,
        env: { ...process.env, NODE_OPTIONS: "" },
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    const port = await new Promise<number>((resolve, reject) => {
        let stdout = "";
        child.stdout!.on("data", (c: Buffer) => {
            stdout += c.toString();
            const line = /^(\d+)\s*$/m.exec(stdout);
            if (line) resolve(Number(line[1]));
        });
        child.on("exit", (code) => reject(new Error(`policy pack exited (${code}) before serving: ${stderr}`)));
    });
    const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const call = <Req, Res>(method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req) =>
        new Promise<Res>((resolve, reject) => method.call(client, req, (err, res) => (err ? reject(err) : resolve(res))));

    return {
        async policyNames() {
            const info = await call<unknown, analyzer.AnalyzerInfo>(client.getAnalyzerInfo as never, new Empty());
            return info.getPoliciesList().map((p) => p.getName());
        },
        async analyze(resource) {
            const req = new analyzer.AnalyzeRequest();
            req.setType(resource.type);
            req.setName(resource.name);
            req.setUrn(urn(resource));
            req.setProperties(Struct.fromJavaScript(resource.props) as never);
            req.setOptions(new analyzer.AnalyzerResourceOptions());
            return diagnostics(await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(client.analyze as never, req));
        },
        async analyzeStack(resources) {
            const req = new analyzer.AnalyzeStackRequest();
            req.setResourcesList(
                resources.map((resource) => {
                    const r = new analyzer.AnalyzerResource();
                    r.setType(resource.type);
                    r.setName(resource.name);
                    r.setUrn(urn(resource));
                    r.setProperties(Struct.fromJavaScript(resource.props) as never);
                    r.setOptions(new analyzer.AnalyzerResourceOptions());
                    return r;
                }),
            );
            return diagnostics(await call<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>(client.analyzeStack as never, req));
        },
        stop() {
            client.close();
            child.kill();
        },
    };
}
