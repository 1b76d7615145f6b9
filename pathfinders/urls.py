app_name = "pathfinders"

urlpatterns: list = []
