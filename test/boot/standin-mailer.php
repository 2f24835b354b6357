<?php
// STAND-IN for Matomo's mailer (core/Mail/Transport.php), for the boot test only: real Matomo is
// not available offline. Real here: PHPMailer (Debian's libphp-phpmailer 6.6; Matomo 5 bundles
// PHPMailer ^6.1), the node's PHP, and the node's config.ini.php read with PHP's INI parser as
// Matomo's config reader does. Ours: the few lines below that hand `[mail]` and
// `[General] noreply_email_*` to PHPMailer, written to behave as Matomo 5's Transport does:
// transport = smtp with a host switches PHPMailer to SMTP; `type` turns SMTP AUTH on with that
// mechanism; `encryption` none turns off opportunistic STARTTLS, anything else is SMTPSecure;
// the peer checks come from [mail] ssl_* (global.ini.php defaults: all on).
// Usage: php standin-mailer.php CONFIG RECIPIENT SUBJECT
declare(strict_types=1);

require '/usr/share/php/libphp-phpmailer/autoload.php';

use PHPMailer\PHPMailer\PHPMailer;

[, $configPath, $to, $subject] = $argv;
$config = parse_ini_file($configPath, true);
if ($config === false) {
    fwrite(STDERR, "cannot read $configPath\n");
    exit(1);
}
$mail = $config['mail'] ?? [];
$general = $config['General'] ?? [];

$mailer = new PHPMailer(true);
$mailer->SMTPOptions = ['ssl' => [
    'verify_peer' => (int) ($mail['ssl_verify_peer'] ?? 1),
    'verify_peer_name' => (int) ($mail['ssl_verify_peer_name'] ?? 1),
    'allow_self_signed' => (string) ($mail['ssl_disallow_self_signed'] ?? '1') === '1' ? 0 : 1,
]];
if (!empty($mail['host']) && ($mail['transport'] ?? '') === 'smtp') {
    $mailer->isSMTP();
    if (!empty($mail['type'])) {
        $mailer->SMTPAuth = true;
        $mailer->AuthType = strtoupper($mail['type']);
    }
    if (!empty($mail['username'])) {
        $mailer->Username = $mail['username'];
    }
    if (!empty($mail['password'])) {
        $mailer->Password = $mail['password'];
    }
    if (!empty($mail['encryption'])) {
        if (strtolower($mail['encryption']) === 'none') {
            $mailer->SMTPAutoTLS = false;
        } else {
            $mailer->SMTPSecure = $mail['encryption'];
        }
    }
    if (!empty($mail['port'])) {
        $mailer->Port = (int) $mail['port'];
    }
    $mailer->Host = trim($mail['host']);
}
$mailer->setFrom($general['noreply_email_address'], $general['noreply_email_name'] ?? '');
$mailer->addAddress($to);
$mailer->Subject = $subject;
$mailer->Body = "stand-in Matomo mail from the boot test\n";
$mailer->send();
echo "sent\n";
