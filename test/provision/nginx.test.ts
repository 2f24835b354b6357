/**
 * The rendered nginx site and PHP settings answering real requests: Debian's nginx and php-fpm on
 * a loopback port (test/support/webStack.ts), over a document root laid out like a Matomo release.
 *
 * The PHP files in that root are STAND-INS that reproduce only what the paths under test depend
 * on, from Matomo's source: js/index.php includes js/tracker.php, which tracks (includes
 * piwik.php) for a POST or any query string and otherwise serves matomo.js; Matomo's pages send
 * `Referrer-Policy: same-origin` (core/View.php), its API responses none.
 */
import { strict as assert } from "assert";
import { mkdirSync, writeFileSync } from "fs";
import { dirname, join } from "path";
import { fpmPoolSize, renderFpmIni, renderFpmPool, renderInstallerGate, renderNginxSite, type NodeRole } from "../../lib/provision";
import { headerValues, startWebStack, type Response, type WebStack } from "../support/webStack";

const TRACKER_JS = "/* matomo.js */\n";

/** Matomo's release layout, with stand-in PHP (see the header comment). */
const RELEASE: Record<string, string> = {
    "index.php": `<?php
if (isset($_GET['ini'])) { echo json_encode(['allow_url_fopen' => ini_get('allow_url_fopen'), 'post_max_size' => ini_get('post_max_size'), 'memory_limit' => ini_get('memory_limit')]); exit; }
if (($_GET['module'] ?? '') !== 'API') { header('Referrer-Policy: same-origin'); }
echo "stand-in index bytes=" . strlen(file_get_contents('php://input')) . "\\n";
`,
    "piwik.php": `<?php echo "stand-in tracked " . $_SERVER['REQUEST_METHOD'] . " " . $_SERVER['QUERY_STRING'] . " bytes=" . strlen(file_get_contents('php://input')) . "\\n";\n`,
    "matomo.php": `<?php require __DIR__ . '/piwik.php';\n`,
    "js/index.php": `<?php define('PIWIK_KEEP_JS_TRACKER_COMMENT', 1); require_once __DIR__ . '/tracker.php';\n`,
    "js/tracker.php": `<?php
if ($_SERVER['REQUEST_METHOD'] == 'POST' || !empty($_SERVER['QUERY_STRING'])) { include '../piwik.php'; exit; }
header('Content-Type: application/javascript; charset=UTF-8');
readfile(__DIR__ . '/../matomo.js');
`,
    "matomo.js": TRACKER_JS,
    "piwik.js": TRACKER_JS,
    "js/piwik.js": "/* source */\n",
    // What PHP's user could write into js/ (issue 17.7) and the release's own files there besides the entry points.
    "js/x.html": "<script>alert(1)</script>\n",
    "js/x.svg": "<svg onload=alert(1)/>\n",
    "js/x.phtml": "<?php echo 'ran';\n",
    "js/evil.js": "alert(1)\n",
    "js/container_aBcD1234.js.html": "<script>alert(1)</script>\n",
    "js/README.md": "# js\n",
    "js/LICENSE.txt": "BSD\n",
    "js/piwik.min.js": "/* min */\n",
    "js/container_aBcD1234.js": "/* container */\n",
    "js/container_aBcD1234_preview.js": "/* container preview */\n",
    // Another environment's file: plugins/TagManager/Context/BaseContext.php getJsTargetPath() adds
    // `_<environment>_` and 24 hex digits of a sha1 to the container id.
    "js/container_aBcD1234_staging_0123456789abcdef01234567.js": "/* container staging */\n",
    "robots.txt": "",
    "favicon.ico": "",
    "plugins/CoreHome/javascripts/manifest.json": '{"name":"Matomo"}\n',
    "plugins/CoreHome/plugin.json": '{"version":"5.10.0"}\n',
    "plugins/CoreHome/templates/_header.twig": "{{ x }}\n",
    "plugins/Morpheus/images/logo.svg": "<svg/>\n",
    "plugins/Morpheus/fonts/matomo.woff2": "woff2",
    "plugins/Morpheus/stylesheets/base.css": "a{}\n",
    "plugins/Foo/Bar.php": "<?php echo 'ran';\n",
    "node_modules/jquery/dist/jquery.min.js": "/* jquery */\n",
    "node_modules/jquery.scrollto/demo/index.html": "<script>alert(1)</script>\n",
    "vendor/foo/bar/demo.htm": "<script>alert(1)</script>\n",
    "vendor/foo/bar/README.md": "# bar\n",
    "libs/jqplot/jqplot.js": "/* jqplot */\n",
    "misc/user/logo.png": "png",
    "misc/DBIP-City.mmdb": "geo",
    "misc/How to install Matomo.html": "<html></html>\n",
    "CHANGELOG.md": "## Matomo 5.10.0\n",
    "README.md": "# Matomo\n",
    "PRIVACY.md": "privacy\n",
    LEGALNOTICE: "notice\n",
    LICENSE: "GPL\n",
    "composer.json": "{}\n",
    "composer.lock": "{}\n",
    "package.json": "{}\n",
    "babel.config.js": "module.exports = {};\n",
    console: "#!/usr/bin/env php\n",
    "standin.php": "<?php echo 'ran';\n",
    "config/config.ini.php": "; secret\n",
    "tmp/cache.php": "<?php\n",
    "lang/en.json": "{}\n",
    "core/Version.php": "<?php\n",
    ".git/config": "[core]\n",
};

async function stackFor(role: NodeRole, installerGate?: string): Promise<WebStack> {
    const stack = await startWebStack({
        site: renderNginxSite({ role, httpPort: 80, trustedProxyCidrs: ["127.0.0.1/32"] }),
        pool: renderFpmPool(role, fpmPoolSize(role, 2, 8192)),
        fpmIni: renderFpmIni(role),
        installerGate,
    });
    for (const [path, content] of Object.entries(RELEASE)) {
        mkdirSync(dirname(join(stack.root, path)), { recursive: true });
        writeFileSync(join(stack.root, path), content);
    }
    return stack;
}

function expectStatus(r: Response, status: number, what: string): void {
    assert.equal(r.status, status, `${what}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
}

/** Every response, whatever location answers it, carries each security header exactly once. */
function expectSecurityHeaders(r: Response, what: string, referrerPolicy = "same-origin"): void {
    assert.deepEqual(headerValues(r, "X-Content-Type-Options"), ["nosniff"], `${what}: X-Content-Type-Options`);
    assert.deepEqual(headerValues(r, "Referrer-Policy"), [referrerPolicy], `${what}: Referrer-Policy`);
}

/**
 * Issue 17.3: requests carrying an API token (query string and Referer) and a client address, as
 * the load balancer forwards them, some answered by PHP, some refused in ways nginx logs as errors.
 * Afterwards no log file may hold the token or the full address; the access log holds the address
 * masked as Matomo's anonymiser masks it with `privacy.anonymizeIp` (2 bytes: IPv4 a.b.0.0, IPv6
 * the first 48 bits, vendor matomo/network IPv6Test "mask 80 bits").
 */
const TOKEN = "0123456789abcdef0123456789abcdef";
async function leaveNoSecretInLogs(stack: WebStack, role: NodeRole): Promise<void> {
    const v4 = "198.51.100.23";
    const v6 = "2001:db8:85a3:1234:5678::7";
    const tracking = `/matomo.php?idsite=1&rec=1&token_auth=${TOKEN}&cip=203.0.113.77&uid=alice`;
    const withToken = [
        tracking,
        `/js/?idsite=1&rec=1&token_auth=${TOKEN}`,
        `/nothere.php?token_auth=${TOKEN}`,
        `/plugins/Morpheus/images/missing.png?token_auth=${TOKEN}`,
        `/js/missing.js?token=${TOKEN}`,
        `/index.php?module=API&method=API.getMatomoVersion&token_auth=${TOKEN}&force_api_session=1`,
    ];
    // Address → what Matomo's anonymiser keeps with 2 bytes masked (written from IPv6Test's expectations).
    const masked: [string, string][] = [
        [v4, "198.51.0.0"],
        [v6, "2001:db8:85a3::"],
        ["2001:db8::1", "2001:db8::"],
        ["2001::99", "2001::"],
    ];
    for (const [ip, path] of withToken.flatMap((p) => masked.map(([ip]) => [ip, p] as const))) {
        await stack.request(path, {
            headers: { "X-Forwarded-For": ip, Referer: `https://analytics.example.com/index.php?module=Widgetize&token_auth=${TOKEN}`, "User-Agent": "probe" },
        });
    }
    // Larger than the body limit: nginx logs the refusal (413) as an error, with the request line.
    await stack.request(tracking, { method: "POST", headers: { "X-Forwarded-For": v4 }, body: "x".repeat((role === "tracker" ? 2 : 8) * 1024 * 1024 + 10) });
    const logged = (text: string, kept: string) => text.split("\n").some((l) => l.startsWith(`${kept} `) && l.includes('"GET /matomo.php HTTP/1.1" 200'));
    const logs = await stack.logsWhen((l) => masked.every(([, kept]) => logged(l["access.log"] ?? "", kept)));
    for (const [ip, kept] of masked)
        assert.ok(logged(logs["access.log"] ?? "", kept), `the access log keeps ${ip} as ${kept}, with the path and status: ${logs["access.log"]}`);
    for (const [file, text] of Object.entries(logs)) {
        for (const secret of [TOKEN, v4, "203.0.113.77", "2001:db8:85a3:1234", "2001:db8::1", "2001::99", "alice"])
            assert.ok(!text.includes(secret), `${file} holds ${secret}:\n${text}`);
    }
}

/** Issue 17.7: under js/ only Matomo's entry points and Tag Manager's containers, by name; nothing else PHP's user might write there. */
async function serveOnlyMatomosFilesUnderJs(stack: WebStack): Promise<void> {
    for (const path of [
        "/js/x.html",
        "/js/x.svg",
        "/js/x.phtml",
        "/js/evil.js",
        "/js/container_aBcD1234.js.html",
        "/js/README.md",
        "/js/LICENSE.txt",
        "/js/piwik.js",
        "/js/piwik.min.js",
        "/js/.htaccess",
        "/js/container_missing1.js",
        "/js//x.html",
        "/js/%78.html",
    ]) {
        const r = await stack.request(path);
        assert.ok(r.status === 404 || r.status === 403, `${path}: HTTP ${r.status} ${r.body.slice(0, 80)}`);
    }
    for (const path of ["/js/container_aBcD1234.js", "/js/container_aBcD1234_preview.js", "/js/container_aBcD1234_staging_0123456789abcdef01234567.js"])
        expectStatus(await stack.request(path), 200, path);
    for (const path of ["/js/", "/js"]) assert.equal((await stack.request(path)).body, TRACKER_JS, path);
    assert.equal((await stack.request("/js/tracker.php?idsite=1&rec=1")).body, "stand-in tracked GET idsite=1&rec=1 bytes=0\n");
}

describe("provision: the nginx site and PHP settings answer real requests (Debian's nginx + php-fpm on loopback, stand-in Matomo PHP)", function () {
    describe("tracker", () => {
        let stack: WebStack;
        before(async () => (stack = await stackFor("tracker")));
        after(async () => stack?.stop());

        it("logs no API token and no full client address in any log (issue 17.3)", async () => leaveNoSecretInLogs(stack, "tracker"));
        it("serves under js/ only Matomo's entry points and Tag Manager containers (issue 17.7)", async () => serveOnlyMatomosFilesUnderJs(stack));

        it("/js/ serves the tracker JS to a GET without parameters and tracks /js/?… and POST /js/; /js answers the same", async () => {
            for (const path of ["/js/", "/js"]) {
                const r = await stack.request(path);
                expectStatus(r, 200, path);
                assert.equal(r.body, TRACKER_JS, path);
                assert.match(headerValues(r, "Content-Type")[0] ?? "", /^application\/javascript/, path);
            }
            for (const path of ["/js/?idsite=1&rec=1", "/js?idsite=1&rec=1"]) {
                const r = await stack.request(path);
                expectStatus(r, 200, path);
                assert.equal(r.body, "stand-in tracked GET idsite=1&rec=1 bytes=0\n", path);
            }
            const post = await stack.request("/js/", {
                method: "POST",
                body: "idsite=1&rec=1",
                headers: { "Content-Type": "application/x-www-form-urlencoded" },
            });
            assert.equal(post.body, "stand-in tracked POST  bytes=14\n");
            for (const path of ["/js/index.php", "/js/tracker.php?idsite=1&rec=1", "/matomo.php?idsite=1&rec=1", "/piwik.php?idsite=1&rec=1"])
                expectStatus(await stack.request(path), 200, path);
        });

        it("serves Tag Manager containers under js/ as static files, previews uncached; nothing else under js/", async () => {
            const container = await stack.request("/js/container_aBcD1234.js");
            expectStatus(container, 200, "container");
            assert.equal(container.body, "/* container */\n");
            assert.deepEqual(headerValues(container, "Cache-Control"), ["public, max-age=3600"]);
            const preview = await stack.request("/js/container_aBcD1234_preview.js");
            expectStatus(preview, 200, "preview");
            assert.deepEqual(headerValues(preview, "Cache-Control"), ["private, no-cache, no-store"]);
            const staging = await stack.request("/js/container_aBcD1234_staging_0123456789abcdef01234567.js");
            expectStatus(staging, 200, "another environment's container");
            assert.equal(staging.body, "/* container staging */\n");
            for (const path of [
                "/js/container_missing1.js",
                "/js/piwik.js",
                "/js/other.php",
                "/index.php",
                "/",
                "/CHANGELOG.md",
                "/config/config.ini.php",
                "/standin.php",
            ]) {
                expectStatus(await stack.request(path), 404, path);
            }
        });

        it("every response has X-Content-Type-Options and Referrer-Policy once; /matomo.js has one Cache-Control", async () => {
            for (const path of [
                "/matomo.js",
                "/piwik.js",
                "/matomo.php?idsite=1",
                "/js/",
                "/js/container_aBcD1234.js",
                "/js/container_aBcD1234_preview.js",
                "/matomo-health.php",
                "/nothing",
            ]) {
                expectSecurityHeaders(await stack.request(path), path);
            }
            for (const path of ["/matomo.js", "/piwik.js"]) {
                const r = await stack.request(path);
                assert.deepEqual(headerValues(r, "Cache-Control"), ["public, max-age=3600"], path);
                assert.deepEqual(headerValues(r, "Strict-Transport-Security"), [], "HSTS is the load balancer's");
            }
        });

        it("takes a 1 MB bulk tracking request to PHP and refuses more than PHP's post_max_size with 413", async () => {
            const bulk = "x".repeat(1024 * 1024);
            const r = await stack.request("/matomo.php", { method: "POST", body: bulk, headers: { "Content-Type": "application/json" } });
            expectStatus(r, 200, "1 MB");
            assert.equal(r.body, `stand-in tracked POST  bytes=${bulk.length}\n`);
            expectStatus(
                await stack.request("/matomo.php", { method: "POST", body: "x".repeat(3 * 1024 * 1024), headers: { "Content-Type": "application/json" } }),
                413,
                "3 MB",
            );
        });
    });

    describe("tracker, php-fpm gone (a restart or a crash)", () => {
        let stack: WebStack;
        before(async () => (stack = await stackFor("tracker")));
        after(async () => stack?.stop());

        it("nginx's error (crit: the socket is missing) names neither the address nor the token; the access log has the 502 (issue 17.3)", async () => {
            await stack.stopPhp();
            const r = await stack.request(`/matomo.php?idsite=1&rec=1&token_auth=${TOKEN}`, { headers: { "X-Forwarded-For": "198.51.100.23" } });
            expectStatus(r, 502, "no upstream");
            const line = /^198\.51\.0\.0 .*"GET \/matomo\.php HTTP\/1\.1" 502 /m;
            const logs = await stack.logsWhen((l) => line.test(l["access.log"] ?? ""));
            assert.match(logs["access.log"] ?? "", line);
            for (const [file, text] of Object.entries(logs)) assert.ok(!text.includes(TOKEN) && !text.includes("198.51.100.23"), `${file}:\n${text}`);
        });
    });

    for (const role of ["tracker", "ui"] as const) {
        describe(`${role}: health endpoint`, () => {
            let stack: WebStack;
            before(async () => (stack = await stackFor(role)));
            after(async () => stack?.stop());

            it("answers the load balancer's own check (no X-Forwarded-For) and 404 to anything it forwarded from a client", async () => {
                expectStatus(await stack.request("/matomo-health.php"), 200, "health check");
                expectStatus(await stack.request("/matomo-health.php", { headers: { "X-Forwarded-For": "203.0.113.7" } }), 404, "forwarded");
                expectStatus(
                    await stack.request("/matomo-health.php?x=1", { headers: { "X-Forwarded-For": "10.0.0.1, 203.0.113.7" } }),
                    404,
                    "forwarded with query",
                );
            });
        });
    }

    describe("ui, installer gate closed (a node that is not ready yet)", () => {
        let stack: WebStack;
        before(async () => (stack = await stackFor("ui", renderInstallerGate())));
        after(async () => stack?.stop());

        it("refuses what the load balancer forwards (client address from X-Forwarded-For) and answers loopback", async () => {
            // The site trusts 127.0.0.1/32 as the load balancer here, so this is what a request from the internet looks like.
            const forwarded = { "X-Forwarded-For": "203.0.113.7" };
            for (const path of ["/index.php?module=Installation&action=setupSuperUser", "/"]) {
                expectStatus(await stack.request(path, { headers: forwarded }), 403, `forwarded ${path}`);
            }
            // The health location refuses forwarded requests before the gate is consulted.
            expectStatus(await stack.request("/matomo-health.php", { headers: forwarded }), 404, "forwarded health");
            const post = await stack.request("/index.php?module=Installation&action=setupSuperUser", {
                method: "POST",
                body: "login=attacker",
                headers: { ...forwarded, "Content-Type": "application/x-www-form-urlencoded" },
            });
            expectStatus(post, 403, "forwarded POST");
            expectStatus(await stack.request("/index.php?module=Installation&action=setupSuperUser"), 200, "loopback");
        });
    });

    describe("ui", () => {
        let stack: WebStack;
        before(async () => (stack = await stackFor("ui")));
        after(async () => stack?.stop());

        it("logs no API token and no full client address in any log (issue 17.3)", async () => leaveNoSecretInLogs(stack, "ui"));
        it("serves under js/ only Matomo's entry points and Tag Manager containers (issue 17.7)", async () => serveOnlyMatomosFilesUnderJs(stack));

        it("serves the web app manifest every page links, and not other JSON under plugins/", async () => {
            const r = await stack.request("/plugins/CoreHome/javascripts/manifest.json");
            expectStatus(r, 200, "manifest.json");
            assert.equal(r.body, '{"name":"Matomo"}\n');
            assert.deepEqual(headerValues(r, "Content-Type"), ["application/json"]);
            expectSecurityHeaders(r, "manifest.json");
            expectStatus(await stack.request("/plugins/CoreHome/plugin.json"), 403, "plugin.json");
        });

        it("serves the static assets Matomo's pages load, with one Cache-Control", async () => {
            for (const path of [
                "/plugins/Morpheus/images/logo.svg",
                "/plugins/Morpheus/fonts/matomo.woff2",
                "/plugins/Morpheus/stylesheets/base.css",
                "/node_modules/jquery/dist/jquery.min.js",
                "/libs/jqplot/jqplot.js",
                "/misc/user/logo.png",
                "/matomo.js",
                "/robots.txt",
                "/favicon.ico",
                "/js/container_aBcD1234.js",
            ]) {
                const r = await stack.request(path);
                expectStatus(r, 200, path);
                assert.deepEqual(headerValues(r, "Cache-Control"), ["public, max-age=3600"], path);
                expectSecurityHeaders(r, path);
            }
        });

        it("serves no HTML from vendor/, node_modules/ or misc/ and no top-level file that tells the release", async () => {
            for (const path of [
                "/vendor/foo/bar/demo.htm",
                "/node_modules/jquery.scrollto/demo/index.html",
                "/misc/How%20to%20install%20Matomo.html",
                "/vendor/foo/bar/README.md",
                "/plugins/CoreHome/templates/_header.twig",
                "/misc/DBIP-City.mmdb",
            ]) {
                expectStatus(await stack.request(path), 403, path);
            }
            for (const path of [
                "/CHANGELOG.md",
                "/README.md",
                "/PRIVACY.md",
                "/LEGALNOTICE",
                "/LICENSE",
                "/composer.json",
                "/composer.lock",
                "/package.json",
                "/babel.config.js",
                "/console",
            ]) {
                const r = await stack.request(path);
                expectStatus(r, 404, path);
                assert.doesNotMatch(r.body, /5\.10\.0|GPL/, path);
            }
        });

        it("executes only Matomo's entry points and denies internal paths", async () => {
            for (const path of ["/", "/index.php", "/matomo.php?idsite=1", "/js/", "/js/index.php"]) expectStatus(await stack.request(path), 200, path);
            for (const path of [
                "/standin.php",
                "/plugins/Foo/Bar.php",
                "/config/config.ini.php",
                "/tmp/cache.php",
                "/lang/en.json",
                "/core/Version.php",
                "/.git/config",
            ]) {
                const r = await stack.request(path);
                expectStatus(r, 403, path);
                assert.doesNotMatch(r.body, /ran|secret/, path);
            }
        });

        it("leaves Referrer-Policy to Matomo's pages (one header, Matomo's) and adds it only where PHP sent none", async () => {
            expectSecurityHeaders(await stack.request("/index.php?module=CoreHome"), "a Matomo page");
            expectSecurityHeaders(await stack.request("/index.php?module=API&method=API.getMatomoVersion"), "an API response");
            for (const path of ["/plugins/Morpheus/images/logo.svg", "/CHANGELOG.md", "/config/config.ini.php", "/matomo-health.php"])
                expectSecurityHeaders(await stack.request(path), path);
        });

        it("PHP runs with allow_url_fopen off and post_max_size equal to nginx's body limit (8 MB: larger gets 413)", async () => {
            const ini = JSON.parse((await stack.request("/index.php?ini=1")).body) as Record<string, string>;
            assert.equal(ini.allow_url_fopen, "", "allow_url_fopen off (ini_get gives an empty string)");
            assert.equal(ini.post_max_size, "8M");
            assert.equal(ini.memory_limit, "512M");
            const seven = await stack.request("/index.php", {
                method: "POST",
                body: "x".repeat(7 * 1024 * 1024),
                headers: { "Content-Type": "application/octet-stream" },
            });
            assert.equal(seven.body, `stand-in index bytes=${7 * 1024 * 1024}\n`);
            expectStatus(
                await stack.request("/index.php", {
                    method: "POST",
                    body: "x".repeat(9 * 1024 * 1024),
                    headers: { "Content-Type": "application/octet-stream" },
                }),
                413,
                "9 MB",
            );
        });
    });
});
