/**
 * The nginx site of a node, after Matomo's recommended nginx configuration
 * (github.com/matomo-org/matomo-nginx): only the intended PHP entry points execute, every other
 * PHP file is refused, internal directories and dot-files are denied, static assets are served.
 * A tracker serves nothing but the tracking endpoints and the health check.
 *
 * The client address: the ALB appends the address it saw to X-Forwarded-For, so nginx trusts only
 * the last entry, and only when the connection comes from the load balancer's network
 * (`real_ip_recursive off` takes the last address; `set_real_ip_from` limits who may set it).
 */
import { HEALTH_CHECK_PATH } from "./constants";
import { INSTALLER_GATE_PATH } from "./installerGate";
import { LIB_DIR, MATOMO_ROOT, PHP_FPM_SOCKET } from "./paths";
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

function fastcgi(scriptFilename = "$document_root$fastcgi_script_name"): string[] {
    return [
        "        include /etc/nginx/fastcgi_params;",
        `        fastcgi_param SCRIPT_FILENAME ${scriptFilename};`,
        // httpoxy: never hand a client's Proxy header to PHP as HTTP_PROXY.
        '        fastcgi_param HTTP_PROXY "";',
        `        fastcgi_pass unix:${PHP_FPM_SOCKET};`,
    ];
}

export function renderNginxSite(options: NginxSiteOptions): string {
    const { role, httpPort, trustedProxyCidrs } = options;
    const lines: string[] = [
        `# Matomo ${role} node. Rendered by pulumi-matomo-aws; provisioning installs it as /etc/nginx/sites-available/matomo.`,
        "server {",
        `    listen ${httpPort} default_server;`,
        "    server_name _;",
        `    root ${MATOMO_ROOT};`,
        "    server_tokens off;",
        "    client_max_body_size 20m;",
        "",
        "    # The ALB appends the client address to X-Forwarded-For: trust only that last entry, from the ALB's network.",
        ...trustedProxyCidrs.map((cidr) => `    set_real_ip_from ${cidr};`),
        "    real_ip_header X-Forwarded-For;",
        "    real_ip_recursive off;",
        "",
        "    add_header X-Content-Type-Options nosniff always;",
        "    add_header Referrer-Policy origin always;",
        "",
        `    location = ${HEALTH_CHECK_PATH} {`,
        "        access_log off;",
        ...fastcgi(`${LIB_DIR}/health.php`),
        "    }",
        "",
    ];
    if (role === "tracker") {
        for (const entry of TRACKER_PHP_ENTRY_POINTS) {
            lines.push(`    location = ${entry} {`, ...fastcgi(), "    }");
        }
        for (const file of TRACKER_STATIC_FILES) {
            lines.push(`    location = ${file} {`, "        expires 1h;", '        add_header Cache-Control "public";', "    }");
        }
        lines.push("", "    # A tracker serves nothing else.", "    location / {", "        return 404;", "    }");
    } else {
        lines.push("    # Loopback only until this node is ready (installerGate.ts).", `    include ${options.installerGatePath ?? INSTALLER_GATE_PATH};`, "");
        lines.push(
            "    # Dot-files and Matomo's internal directories are never served.",
            "    location ~ /\\. {",
            "        return 403;",
            "    }",
            "    location ~ ^/(config|tmp|core|lang)(/|$) {",
            "        return 403;",
            "    }",
            "    location ~ ^/(console|composer\\.json|composer\\.lock)$ {",
            "        return 403;",
            "    }",
            "",
            "    # Only Matomo's entry points execute.",
            "    location ~ ^/(index|matomo|piwik|js/index|js/tracker|plugins/HeatmapSessionRecording/configs)\\.php$ {",
            "        try_files $fastcgi_script_name =404;",
            ...fastcgi(),
            "    }",
            "    location ~* \\.php$ {",
            "        return 403;",
            "    }",
            "",
            "    # Static assets (also those under plugins/ and node_modules/ the UI loads).",
            "    location ~* \\.(gif|ico|jpg|png|svg|js|css|htm|html|mp3|mp4|wav|ogg|avi|ttf|eot|woff|woff2)$ {",
            "        expires 1h;",
            '        add_header Cache-Control "public";',
            "        add_header X-Content-Type-Options nosniff always;",
            "    }",
            "    location ~ ^/(libs|vendor|plugins|misc|node_modules)(/|$) {",
            "        return 403;",
            "    }",
            "    location ~ /(.*\\.md|LEGALNOTICE|LICENSE)$ {",
            "        default_type text/plain;",
            "    }",
            "",
            "    location / {",
            "        index index.php;",
            "        try_files $uri $uri/ =404;",
            "    }",
        );
    }
    lines.push("}");
    return lines.join("\n") + "\n";
}
