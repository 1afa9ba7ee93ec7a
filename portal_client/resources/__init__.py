"""The portal's endpoints, one mixin per service area; `PortalClient` combines them."""
