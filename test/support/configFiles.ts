/** Settings for the config tests, and the rendered text as Debian's PHP parses it. */
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { resolveSettings, type MatomoClusterArgs, type ResolvedSettings } from "../../lib/settings";
import { phpParseIni } from "./tools";

/** A cluster given its certificate by ARN, plus `overrides`. */
export function configSettings(overrides: Partial<MatomoClusterArgs> = {}): ResolvedSettings {
    return resolveSettings({
        domain: "analytics.example.com",
        certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666",
        superUser: { email: "ops@example.com" },
        ...overrides,
    });
}

const scratch = mkdtempSync(join(tmpdir(), "matomo-config-"));
let written = 0;

/** A fresh path in this run's scratch folder, ending in `name`. */
export function scratchPath(name: string): string {
    return join(scratch, `${written++}-${name}`);
}

/** The text as Matomo's reader would get it: written to a file and parsed by Debian's php. */
export function parsedByPhp(text: string): ReturnType<typeof phpParseIni> {
    const path = scratchPath("config.ini.php");
    writeFileSync(path, text);
    return phpParseIni(path);
}
