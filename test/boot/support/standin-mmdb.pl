#!/usr/bin/perl
# A tiny location database in MaxMind's DB format, written by MaxMind's own writer
# (Debian's libmaxmind-db-writer-perl), standing in for DB-IP's city lite in the boot test.
# Usage: standin-mmdb.pl OUT.mmdb CITY. Type "DBIP-City-Lite" as DB-IP's; two networks: the one of
# Matomo's test address (GeoIp2::TEST_IP, 194.57.91.215) and TEST-NET-3, the boot test's client.
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my ($out, $city) = @ARGV;
die "usage: standin-mmdb.pl OUT.mmdb CITY\n" unless defined $city;
my %types = (city => 'map', country => 'map', names => 'map', en => 'utf8_string', iso_code => 'utf8_string');
my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version => 6,
    record_size => 24,
    database_type => 'DBIP-City-Lite',
    languages => ['en'],
    description => { en => 'pulumi-matomo-aws boot test stand-in (not DB-IP data)' },
    map_key_type_callback => sub { $types{ $_[0] } },
    # TEST-NET-3 is reserved; the writer leaves reserved networks out unless told otherwise.
    remove_reserved_networks => 0,
);
for my $network ('194.57.91.0/24', '203.0.113.0/24') {
    $tree->insert_network($network, { city => { names => { en => $city } }, country => { iso_code => 'FR', names => { en => 'France' } } });
}
open my $fh, '>:raw', $out or die "cannot write $out: $!\n";
$tree->write_tree($fh);
close $fh or die "cannot write $out: $!\n";
