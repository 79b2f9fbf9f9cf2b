using System.Text.RegularExpressions;
using GridMap.Application.Auth;
using GridMap.Tests.Shared;
using Microsoft.Playwright;

namespace GridMap.Browser.Tests;

/// <summary>A server of its own (these tests add users and sign them in and out).</summary>
public sealed class SignInServer : LiveServer;

/// <summary>
/// The sign-in page (#/login): an unsigned visit lands there, a wrong password is refused in Chinese, the right one leads
/// back to the view that was asked for with the user in the header; signing out leads back to the page and the API then
/// answers 401.
/// </summary>
public sealed class SignInTests(SignInServer server, ChromiumFixture chromium) : IClassFixture<SignInServer>, IClassFixture<ChromiumFixture>
{
    private string BaseUrl => server.BaseUrl.TrimEnd('/');

    private static Task<int> StatusOfAsync(IPage page, string path) =>
        page.EvaluateAsync<int>("p => fetch(p, { headers: { Accept: 'application/json' } }).then(r => r.status)", path);

    [PostgisFact]
    public async Task UnsignedVisit_LandsOnSignInPage_WrongPasswordIsRefusedInChinese_RightOneReturnsToTheView()
    {
        await server.CreateUserAsync("signin-manager", Roles.Manager, null);
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(BaseUrl + "/#/manager");

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("#/login\\?next=%2Fmanager$"));
        var form = page.GetByTestId("login-form");
        await form.WaitForAsync();
        Assert.Contains(".run/demo-users.txt", await page.GetByTestId("login-hint").InnerTextAsync());
        Assert.False(await page.GetByTestId("user-name").IsVisibleAsync());

        await page.GetByLabel("用户名").FillAsync("signin-manager");
        await page.GetByLabel("密码").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        var error = page.GetByTestId("login-error");
        await Assertions.Expect(error).ToBeVisibleAsync();
        await Assertions.Expect(error).ToContainTextAsync("用户名或密码错误");
        Assert.Contains("#/login", page.Url);

        await page.GetByLabel("密码").FillAsync(LiveServer.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        // Back on the manager view; once its map has fitted the city it keeps its position in the address (#/manager?c=lon,lat,zoom).
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"#/manager(\?c=-?[0-9.]+,-?[0-9.]+,[0-9.]+)?$"));
        await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync("signin-manager");
        await Assertions.Expect(page.GetByTestId("user-role")).ToHaveTextAsync("经理");
        await Assertions.Expect(page.GetByTestId("user-branch")).ToHaveTextAsync("全公司");
        // The view works with the cookie: its API calls and its tiles.
        await page.Locator("[data-testid=map][data-ready=true]").WaitForAsync(new() { Timeout = 60_000 });
        await page.Locator("[data-testid=headline-share]").WaitForAsync();
    }

    [PostgisFact]
    public async Task SignOut_LeadsToSignInPage_AndTheApiThenAnswers401()
    {
        await server.CreateUserAsync("signin-planner", Roles.Planner, null);
        var page = await chromium.NewPageAsync();
        await server.SignInAsync(page.Context, "signin-planner");
        await page.GotoAsync(BaseUrl + "/#/");
        await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync("signin-planner");
        await Assertions.Expect(page.GetByTestId("user-role")).ToHaveTextAsync("规划员");
        await page.Locator("[data-testid=map][data-ready=true]").WaitForAsync(new() { Timeout = 60_000 });
        Assert.Equal(200, await StatusOfAsync(page, "/api/config"));

        await page.GetByTestId("sign-out").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("#/login$"));
        await page.GetByTestId("login-form").WaitForAsync();
        Assert.False(await page.GetByTestId("user-name").IsVisibleAsync());
        Assert.Equal(401, await StatusOfAsync(page, "/api/config"));
        Assert.Equal(401, await StatusOfAsync(page, "/api/auth/me"));
        Assert.Equal(401, await StatusOfAsync(page, "/tiles/compounds/10/843/414.mvt"));

        // Any view asked for now leads back to the sign-in page, remembering it.
        await page.GotoAsync(BaseUrl + "/#/planner");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("#/login\\?next=%2Fplanner$"));
    }
}
