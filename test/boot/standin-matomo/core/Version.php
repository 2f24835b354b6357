<?php
// Stand-in for the boot test (see README.md): not Matomo.
namespace Piwik;

final class Version
{
    const VERSION = '5.10.0';
}
