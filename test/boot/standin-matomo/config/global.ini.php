; stand-in global.ini.php (boot test only)
