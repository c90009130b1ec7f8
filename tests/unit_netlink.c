/* unit_netlink.c - placeholder until the netlink tests land. */
#include "unit.h"

void unit_netlink(void)
{
}
