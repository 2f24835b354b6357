/**
 * The nginx site of a node, after Matomo's recommended nginx configuration
 * (github.com/matomo-org/matomo-nginx) and the access rules Matomo writes for Apache
 * (plugins/Installation/ServerFilesGenerator.php): only the intended PHP entry points execute,
 * every other PHP file is refused, internal directories and dot-files are denied, and of the
 * static files only those Matomo's pages load are served. A tracker serves nothing but the
 * tracking endpoints and the health check.
 *
 * The client address: the ALB appends the address it saw to X-Forwarded-For, so nginx trusts only
 * the last entry, and only when the connection comes from the load balancer's network
 * (`real_ip_recursive off` takes the last address; `set_real_ip_from` limits who may set it).
 *
 * Headers: a location with an `add_header` of its own drops every `add_header` of the server, so
 * each such location repeats `SECURITY_HEADERS` (rendered by one function, never by hand).
 * Referrer-Policy is Matomo's to choose on its pages (core/View.php sends `same-origin`): nginx
 * adds it only to responses that carry none. HSTS is the load balancer's (TLS ends there).
 */
import { HEALTH_CHECK_PATH } from "./constants";
import { INSTALLER_GATE_PATH } from "./installerGate";
import { LOG_SOURCES } from "./observability";
import { LIB_DIR, MATOMO_ROOT, PHP_FPM_SOCKET } from "./paths";
import { FPM_SIZING } from "./php";
import type { NodeRole } from "./types";

export interface NginxSiteOptions {
    role: NodeRole;
    httpPort: number;
    /** Networks the load balancer connects from; only they may set the client address. */
    trustedProxyCidrs: string[];
    /** ui only: the installer gate snippet to include (see installerGate.ts). Default `INSTALLER_GATE_PATH`. */
    installerGatePath?: string;
}

/** PHP scripts the tracker role executes (besides the health check). */
export const TRACKER_PHP_ENTRY_POINTS = ["/matomo.php", "/piwik.php", "/js/index.php", "/js/tracker.php"] as const;
/** Static tracker files the tracker role serves. */
export const TRACKER_STATIC_FILES = ["/matomo.js", "/piwik.js"] as const;

/** Variable holding the Referrer-Policy nginx adds: empty (so not added) when PHP sent its own. */
const REFERRER_POLICY_VAR = "$matomo_referrer_policy";

/** Headers every response carries, whatever location answers it. */
export const SECURITY_HEADERS: readonly string[] = ["X-Content-Type-Options nosniff", `Referrer-Policy ${REFERRER_POLICY_VAR}`];

const securityHeaders = (indent: string) => SECURITY_HEADERS.map((h) => `${indent}add_header ${h} always;`);

/**
 * Tag Manager containers: `js/container_<id>.js` (live), `…_<environment>_<24 hex>.js` for another
 * environment (plugins/TagManager/Context/BaseContext.php getJsTargetPath; environment ids are
 * letters, digits and `_`), and `_preview` ones, which change while a user debugs. Quoted: nginx
 * reads an unquoted `{` as the start of a block.
 */
const CONTAINER = '"^/js/container_[A-Za-z0-9]+(_[A-Za-z0-9_]+_[0-9a-f]{24})?\\.js$"';
const CONTAINER_PREVIEW = "^/js/container_[A-Za-z0-9]+_preview\\.js$";

/** Static types Matomo's pages load from plugins/, libs/, vendor/, node_modules/ and misc/user/ (its Apache rules' list, minus htm|html). */
const STATIC_TYPES = "gif|ico|jpg|png|svg|js|css|mp3|mp4|wav|ogg|avi|ttf|eot|woff|woff2";

function fastcgi(scriptFilename = "$document_root$fastcgi_script_name"): string[] {
    return [
        "        include /etc/nginx/fastcgi_params;",
        `        fastcgi_param SCRIPT_FILENAME ${scriptFilename};`,
        // httpoxy: never hand a client's Proxy header to PHP as HTTP_PROXY.
        '        fastcgi_param HTTP_PROXY "";',
        `        fastcgi_pass unix:${PHP_FPM_SOCKET};`,
    ];
}

/** A static location with one Cache-Control (no `expires`, which would add a second). */
function staticFiles(match: string, cacheControl = "public, max-age=3600", indent = "    "): string[] {
    return [`${indent}location ${match} {`, `${indent}    add_header Cache-Control "${cacheControl}";`, ...securityHeaders(`${indent}    `), `${indent}}`];
}

/** `/js/` and `/js` (what the load balancer sends as /js and /js/*): js/index.php serves the JS or tracks. */
function jsIndex(): string[] {
    return [
        "    location = /js/ {",
        "        rewrite ^ /js/index.php last;",
        "    }",
        "    location = /js {",
        "        rewrite ^ /js/index.php last;",
        "    }",
    ];
}

function trackerLocations(): string[] {
    const lines: string[] = [];
    for (const entry of TRACKER_PHP_ENTRY_POINTS) lines.push(`    location = ${entry} {`, ...fastcgi(), "    }");
    lines.push(...jsIndex());
    for (const file of TRACKER_STATIC_FILES) lines.push(...staticFiles(`= ${file}`));
    lines.push(
        ...staticFiles(`~ ${CONTAINER}`),
        ...staticFiles(`~ ${CONTAINER_PREVIEW}`, "private, no-cache, no-store"),
        "",
        "    # A tracker serves nothing else.",
        "    location / {",
        "        return 404;",
        "    }",
    );
    return lines;
}

function uiLocations(installerGatePath: string): string[] {
    return [
        "    # Loopback only until this node is ready (installerGate.ts).",
        `    include ${installerGatePath};`,
        "",
        "    # Dot-files and Matomo's internal directories are never served.",
        "    location ~ /\\. {",
        "        return 403;",
        "    }",
        "    location ~ ^/(config|tmp|core|lang)(/|$) {",
        "        return 403;",
        "    }",
        "",
        ...jsIndex(),
        "    # js/ is PHP's to write (Tag Manager publishes containers there): only Matomo's entry points and",
        "    # the containers, by name; nothing else written there (html, svg, phtml …) is served. `^~`: no",
        "    # other location of the server applies below js/.",
        "    location ^~ /js/ {",
        "        location ~ ^/js/(index|tracker)\\.php$ {",
        "            try_files $fastcgi_script_name =404;",
        ...fastcgi().map((l) => `    ${l}`),
        "        }",
        ...staticFiles(`~ ${CONTAINER}`, undefined, "        "),
        ...staticFiles(`~ ${CONTAINER_PREVIEW}`, "private, no-cache, no-store", "        "),
        "        return 404;",
        "    }",
        "",
        "    # Only Matomo's entry points execute.",
        "    location ~ ^/(index|matomo|piwik|plugins/HeatmapSessionRecording/configs)\\.php$ {",
        "        try_files $fastcgi_script_name =404;",
        ...fastcgi(),
        "    }",
        "    location ~* \\.php$ {",
        "        return 403;",
        "    }",
        "",
        "    # Top level: only these files (CHANGELOG.md, composer.json and the like tell the release).",
        ...["/matomo.js", "/piwik.js", "/robots.txt", "/favicon.ico"].flatMap((f) => staticFiles(`= ${f}`)),
        "    location ~ ^/[^/]+$ {",
        "        return 404;",
        "    }",
        "",
        "    # Static assets below (no htm|html: vendor/ demo pages must not run on Matomo's origin), and the",
        "    # web app manifest every page links (plugins/CoreHome/javascripts/manifest.json).",
        ...staticFiles(`~* \\.(${STATIC_TYPES})$`),
        ...staticFiles("~ ^/plugins/.+/manifest\\.json$"),
        "    location ~ ^/(libs|vendor|plugins|misc|node_modules)(/|$) {",
        "        return 403;",
        "    }",
        "",
        "    location / {",
        "        index index.php;",
        "        try_files $uri $uri/ =404;",
        "    }",
    ];
}

/**
 * The access log's format: no query string (it carries `token_auth` on API and tracking requests
 * with `cip`/`cdt`, plus the visitor's `cip`, `uid`, page URLs), no Referer (a widget's URL
 * carries `token_auth`), and the client address masked as Matomo's IP anonymiser masks it with
 * `privacy.anonymizeIp` (PrivacyManager's default `ipAddressMaskLength` 2: IPv4 `a.b.0.0`, IPv6
 * the first 48 bits, matomo/network's `IPv6::anonymize`), whatever `privacy.anonymizeIp` says: an
 * operational log needs no more. The path is the one the client sent, without its query.
 */
export const ACCESS_LOG_FORMAT = "matomo_private";
const LOG_ADDRESS_VAR = "$matomo_log_addr";
const LOG_PATH_VAR = "$matomo_log_path";

function privateLogging(): string[] {
    return [
        "# Logs hold no API token and no full client address (see ACCESS_LOG_FORMAT in lib/provision/nginx.ts).",
        `map $remote_addr ${LOG_ADDRESS_VAR} {`,
        '    "~^(\\d+\\.\\d+)\\.\\d+\\.\\d+$" $1.0.0;',
        '    "~*^::ffff:(\\d+\\.\\d+)\\.\\d+\\.\\d+$" ::ffff:$1.0.0;',
        // Three groups written out, or fewer before the "::" that stands for the zero groups.
        '    "~*^([0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}):" $1::;',
        '    "~*^((?:[0-9a-f]{1,4}:){0,2}):" $1:;',
        "    default -;",
        "}",
        `map $request_uri ${LOG_PATH_VAR} {`,
        '    "~^([^?]*)" $1;',
        "}",
        `log_format ${ACCESS_LOG_FORMAT} '${LOG_ADDRESS_VAR} [$time_iso8601] "$request_method ${LOG_PATH_VAR} $server_protocol" $status $body_bytes_sent $request_time "$http_user_agent"';`,
        "",
    ];
}

export function renderNginxSite(options: NginxSiteOptions): string {
    const { role, httpPort, trustedProxyCidrs } = options;
    const lines: string[] = [
        `# Matomo ${role} node. Rendered by pulumi-matomo-aws; provisioning installs it as /etc/nginx/sites-available/matomo.`,
        "# Referrer-Policy only where PHP sent none (Matomo's pages send their own).",
        `map $upstream_http_referrer_policy ${REFERRER_POLICY_VAR} {`,
        '    "" same-origin;',
        '    default "";',
        "}",
        "",
        ...privateLogging(),
        "server {",
        `    listen ${httpPort} default_server;`,
        "    server_name _;",
        `    root ${MATOMO_ROOT};`,
        "    server_tokens off;",
        // The same limit as PHP's post_max_size: a larger body gets a clear 413 here instead of
        // reaching PHP, which would drop it silently.
        `    client_max_body_size ${FPM_SIZING[role].maxBodyMb}m;`,
        "",
        `    access_log ${LOG_SOURCES["nginx-access"].file} ${ACCESS_LOG_FORMAT};`,
        // nginx's error messages about a request name the client's full address and the whole
        // request line, query and Referer included, in a format that cannot be changed, at every
        // level a request can reach: "error" (a missing file, a body over the limit) and "crit" (the
        // php-fpm socket missing while it restarts). So requests log nothing here (emerg is never
        // used for a request); the access log has each one's status. nginx's own process messages
        // (reloads, a worker that died) still reach this file through Debian's main error_log.
        `    error_log ${LOG_SOURCES["nginx-error"].file} emerg;`,
        "",
        "    # The ALB appends the client address to X-Forwarded-For: trust only that last entry, from the ALB's network.",
        ...trustedProxyCidrs.map((cidr) => `    set_real_ip_from ${cidr};`),
        "    real_ip_header X-Forwarded-For;",
        "    real_ip_recursive off;",
        "",
        ...securityHeaders("    "),
        "",
        `    location = ${HEALTH_CHECK_PATH} {`,
        "        access_log off;",
        // The load balancer's own checks carry no X-Forwarded-For; everything it forwards from a
        // client does. So the health answer reaches only the load balancer, however the path is spelled.
        "        if ($http_x_forwarded_for) {",
        "            return 404;",
        "        }",
        ...fastcgi(`${LIB_DIR}/health.php`),
        "    }",
        "",
        ...(role === "tracker" ? trackerLocations() : uiLocations(options.installerGatePath ?? INSTALLER_GATE_PATH)),
        "}",
    ];
    return lines.join("\n") + "\n";
}
