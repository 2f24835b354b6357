/**
 * CHANGELOG.md has one section per version, "Unreleased" on top (what the next release will hold),
 * then each released version, newest first, as `## <version> — <YYYY-MM-DD>`; within a section each
 * kind of change (Added, Changed, Fixed, …) appears once.
 */
import { strict as assert } from "assert";
import { readFileSync } from "fs";
import { join } from "path";

const REPO = join(__dirname, "..");
const text = readFileSync(join(REPO, "CHANGELOG.md"), "utf8");

interface Section {
    title: string;
    kinds: string[];
}

function sections(): Section[] {
    const out: Section[] = [];
    for (const line of text.split("\n")) {
        if (line.startsWith("## ")) out.push({ title: line.slice(3).trim(), kinds: [] });
        else if (line.startsWith("### ")) {
            assert.ok(out.length > 0, `${line} before any version section`);
            out[out.length - 1].kinds.push(line.slice(4).trim());
        }
    }
    return out;
}

const KINDS = ["Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"];
const RELEASED = /^(\d+\.\d+\.\d+) — (\d{4}-\d{2}-\d{2})$/;

describe("CHANGELOG.md: sections per version", function () {
    const all = sections();

    it("starts with Unreleased, then released versions newest first, each with its date", () => {
        assert.equal(all[0]?.title, "Unreleased");
        const released = all.slice(1).map((s) => {
            const m = RELEASED.exec(s.title);
            assert.ok(m, `"## ${s.title}" is not "## <x.y.z> — <YYYY-MM-DD>"`);
            return { version: m[1].split(".").map(Number), date: m[2] };
        });
        for (let i = 1; i < released.length; i++) {
            const [a, b] = [released[i - 1], released[i]];
            assert.ok(a.date >= b.date && a.version.join(".") !== b.version.join("."), "newest first, each version once");
        }
    });

    it("each section names each kind of change once, from Keep a Changelog's list", () => {
        for (const section of all) {
            for (const kind of section.kinds) assert.ok(KINDS.includes(kind), `${section.title}: "### ${kind}" is not one of ${KINDS.join(", ")}`);
            assert.equal(new Set(section.kinds).size, section.kinds.length, `${section.title}: ${section.kinds.join(", ")}`);
        }
    });
});
