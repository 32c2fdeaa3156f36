// The UDP services that answer whatever arrives: a datagram from one of their
// ports is, to an echo server, either a loop in the making (the service
// answers our echo, we echo its answer, ...) or a spoofed request meant to aim
// our reply at it. No client sends from these ports. The loop guard
// (source_policy.h) does not answer them; --udp-allow-source-port opens one.
//
// Sources: the legacy services are those of the original echo/chargen loop
// (CERT CA-1996-01, CVE-1999-0103) and of the application-layer loop DoS
// (CVE-2024-2169, CERT VU#417980, and its CISPA study, which adds Daytime,
// Time and Active Users); the rest are the amplifiers of the CISA / US-CERT
// advisory TA14-017A "UDP-Based Amplification Attacks" (rev. 2018) that listen
// on a fixed port (BitTorrent and Kad do not). Names are IANA's service names
// (Service Name and Transport Protocol Port Number Registry) where it has one.
// docs/security.md explains the list; keep the two in step.
//
// Example:
//   for (const ReflectingService& s : kReflectingServices) refused.set(s.port);
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace echo::server {

struct ReflectingService {
  std::uint16_t port;
  std::string_view name;  // IANA service name, or the common name if IANA has none
};

inline constexpr std::array kReflectingServices = {
    ReflectingService{7, "echo"},      // RFC 862: answers everything; CA-1996-01, VU#417980
    ReflectingService{9, "discard"},   // RFC 863: silent, but spoofed as a source (NetBSD inetd)
    ReflectingService{11, "systat"},   // RFC 866 Active Users: loop DoS (CISPA)
    ReflectingService{13, "daytime"},  // RFC 867: answers any datagram; loop DoS (CISPA)
    ReflectingService{17, "qotd"},     // RFC 865: TA14-017A, VU#417980
    ReflectingService{19, "chargen"},  // RFC 864: CA-1996-01, CVE-1999-0103, TA14-017A
    ReflectingService{37, "time"},     // RFC 868: answers any datagram; loop DoS (CISPA)
    ReflectingService{53, "domain"},   // DNS: TA14-017A, VU#417980 (error replies loop)
    ReflectingService{69, "tftp"},     // TFTP: TA14-017A, VU#417980 (error packets loop)
    ReflectingService{111, "sunrpc"},  // Portmap/RPCbind: TA14-017A
    ReflectingService{123, "ntp"},     // NTP: TA14-017A, VU#417980
    ReflectingService{137, "netbios-ns"},   // NetBIOS name service: TA14-017A
    ReflectingService{138, "netbios-dgm"},  // NetBIOS datagram service (TA14-017A's NetBIOS)
    ReflectingService{161, "snmp"},         // SNMPv2 GetBulk: TA14-017A
    ReflectingService{389, "ldap"},         // CLDAP: TA14-017A
    ReflectingService{520, "router"},       // RIPv1: TA14-017A
    ReflectingService{1900, "ssdp"},        // SSDP: TA14-017A
    ReflectingService{5353, "mdns"},        // multicast DNS: TA14-017A
    ReflectingService{11211, "memcache"},   // memcached: TA14-017A (2018 revision)
    ReflectingService{27015, "steam"},      // Steam server queries: TA14-017A (no IANA name)
    ReflectingService{27960, "quake3"},     // Quake network protocol: TA14-017A (no IANA name)
};

}  // namespace echo::server
