<?php
// Open a PDO connection from a config.ini.php's [database] section, as Matomo would.
declare(strict_types=1);

function matomo_config(string $path): array
{
    $ini = @parse_ini_file($path, true, INI_SCANNER_NORMAL);
    if (!is_array($ini) || !isset($ini['database']) || !is_array($ini['database'])) {
        throw new RuntimeException("no [database] section readable in $path");
    }
    // Matomo decodes every string it read, twice (core/Config/IniFileChain.php reload()).
    array_walk_recursive($ini, function (&$value): void {
        if (is_string($value)) {
            $value = html_entity_decode(html_entity_decode($value, ENT_COMPAT, 'UTF-8'), ENT_COMPAT, 'UTF-8');
        }
    });
    return $ini;
}

function matomo_pdo(array $db, int $timeoutSeconds = 5): PDO
{
    $dsn = sprintf('mysql:host=%s;port=%d;dbname=%s;charset=utf8mb4', $db['host'], (int) ($db['port'] ?? 3306), $db['dbname']);
    $options = [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::ATTR_TIMEOUT => $timeoutSeconds];
    if (!empty($db['enable_ssl'])) {
        $options[PDO::MYSQL_ATTR_SSL_CA] = $db['ssl_ca'];
        $options[PDO::MYSQL_ATTR_SSL_VERIFY_SERVER_CERT] = true;
    }
    return new PDO($dsn, (string) $db['username'], (string) $db['password'], $options);
}
